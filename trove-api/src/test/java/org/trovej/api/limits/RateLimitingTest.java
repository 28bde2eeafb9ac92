package org.trovej.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;

/** With trovej.rate-limit.enabled: per-project, per-verb buckets; the request over the rate gets 413. */
@TestPropertySource(properties = {"trovej.rate-limit.enabled=true", "trovej.rate-limit.get=3"})
class RateLimitingTest extends ApiIntegrationTest {

    @Test
    void theRequestOverTheRateIsRefusedWithRetryAfterAndOtherProjectsAreNotAffected() {
        String project = TestData.project();
        String path = "/v1.0/" + project + "/limits";

        Api.Response first = api.get(path);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().at("/limits/4/verb").asText()).isEqualTo("GET");
        assertThat(first.json().at("/limits/4/value").asInt()).isEqualTo(3);
        assertThat(first.json().at("/limits/4/remaining").asInt()).isEqualTo(2);
        assertThat(api.get(path).status()).isEqualTo(200);
        assertThat(api.get("/v1.0/" + project + "/flavors").status()).isEqualTo(200);

        Api.Response refused = api.get(path);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().at("/overLimit/code").asInt()).isEqualTo(413);
        assertThat(refused.json().at("/overLimit/message").asText()).isEqualTo("This request was rate-limited.");
        assertThat(refused.json().at("/overLimit/details").asText())
                .isEqualTo("Only 3 GET request(s) can be made to * every minute.");
        int retryAfter = Integer.parseInt(refused.json().at("/overLimit/retryAfter").asText());
        assertThat(retryAfter).isBetween(1, 20);
        assertThat(refused.header("Retry-After")).isEqualTo(String.valueOf(retryAfter));

        assertThat(api.get("/v1.0/" + TestData.project() + "/limits").status()).isEqualTo(200);
        assertThat(api.post("/v1.0/" + project + "/instances", "{}").status()).as("POST has its own bucket")
                .isEqualTo(400);
    }
}
