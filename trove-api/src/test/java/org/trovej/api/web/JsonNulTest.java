package org.trovej.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** A NUL in a JSON body's strings (PostgreSQL refuses it in text) is a 400 with nothing written, never a 500. */
class JsonNulTest extends ApiIntegrationTest {

    private final String project = TestData.project();

    @Test
    void aNulInABodyStringOrKeyIsABadRequestAndWritesNothing() {
        String id = new InstanceRow(project).insert(jdbc);
        String instance = "/v1.0/" + project + "/instances/" + id;

        Api.Response[] responses = {
                api.put(instance, "{\"instance\": {\"name\": \"a\\u0000\"}}"),
                api.patch(instance, "{\"instance\": {\"name\": \"db\\u0000x\"}}"),
                api.post("/v1.0/" + project + "/instances", "{\"instance\": {\"name\": \"db\\u0000\", "
                        + "\"flavorRef\": \"2\", \"volume\": {\"size\": 1}}}"),
                api.post("/v1.0/" + project + "/instances", "{\"instance\": {\"name\": \"db\", "
                        + "\"flavorRef\": \"2\", \"volume\": {\"size\": 1}, \"locality\\u0000\": [\"x\"]}}")};

        for (Api.Response response : responses) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.json().at("/badRequest/message").asText())
                    .isEqualTo("Invalid request body: NUL characters are not allowed.");
        }
        assertThat(count("SELECT count(*) FROM instances WHERE tenant_id = ?", project)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT name FROM instances WHERE id = ?", String.class, id))
                .doesNotContain("\0");
        assertThat(casts.settled(c -> project.equals(c.context().projectId()))).isEmpty();
    }
}
