package org.trovej.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;

/** GET /limits with rate limiting off (the default): the project's quota limits and the configured rates. */
class LimitsTest extends ApiIntegrationTest {

    @Test
    void absoluteLimitsFollowTheProjectsQuotasThenTheRateLimits() {
        String project = TestData.project();
        api.put("/v1.0/x/mgmt/quotas/" + project, "{\"quotas\": {\"instances\": 3}}", AS_ADMIN);

        JsonNode limits = api.get("/v1.0/" + project + "/limits").json().get("limits");

        assertThat(limits.get(0).toString()).isEqualTo("{\"verb\":\"ABSOLUTE\",\"max_instances\":3,\"max_ram\":-1,"
                + "\"max_backups\":50,\"max_volumes\":40}");
        assertThat(limits).hasSize(6);
        JsonNode post = limits.get(1);
        assertThat(post.fieldNames()).toIterable()
                .containsExactly("nextAvailable", "remaining", "unit", "value", "verb", "uri", "regex");
        assertThat(post.get("nextAvailable").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(post.get("verb").asText()).isEqualTo("POST");
        assertThat(post.get("uri").asText()).isEqualTo("*");
        assertThat(post.get("regex").asText()).isEqualTo(".*");
        assertThat(post.get("value").asInt()).isEqualTo(200);
        assertThat(post.get("remaining").asInt()).isEqualTo(200);
        assertThat(post.get("unit").asText()).isEqualTo("MINUTE");
        assertThat(limits.findValuesAsText("verb"))
                .containsExactly("ABSOLUTE", "POST", "PUT", "DELETE", "GET", "POST");
        assertThat(limits.get(5).get("uri").asText()).isEqualTo("*/mgmt");
        assertThat(limits.get(5).get("regex").asText()).isEqualTo("^/mgmt");
    }
}
