package org.trovej.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * Found by the hostile request generator: a wildcard Content-Type was a 500 wherever Spring looked at it, and a
 * body with something after its JSON value was read as if the rest were not there.
 */
class ContentTypeAndTrailingDataTest extends ApiIntegrationTest {

    private final String project = TestData.project();

    @Test
    void aWildcardOrUnparsableContentTypeOnABodyIsA415AndWritesNothing() {
        String id = new InstanceRow(project).insert(jdbc);
        String instance = "/v1.0/" + project + "/instances/" + id;
        for (String type : new String[] {"*/*", "application/*", "json", "/"}) {
            Api.Response response = api.send("PUT", instance, "{\"instance\": {\"name\": \"renamed\"}}", type);
            assertThat(response.status()).as(type + ": " + response.body()).isEqualTo(415);
            assertThat(response.json().at("/badMediaType/message").asText()).isEqualTo("Unsupported Content-Type");
        }
        assertThat(jdbc.queryForObject("SELECT name FROM instances WHERE id = ?", String.class, id))
                .isNotEqualTo("renamed");
        assertThat(casts.settled(c -> project.equals(c.context().projectId()))).isEmpty();
    }

    @Test
    void aReadIgnoresAContentTypeItHasNoUseFor() {
        String id = new InstanceRow(project).insert(jdbc);
        Api.Response response = api.send("GET", "/v1.0/" + project + "/instances/" + id, null, "*/*");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/instance/id").asText()).isEqualTo(id);
    }

    @Test
    void anythingAfterTheJsonValueIsAMalformedBody() {
        String id = new InstanceRow(project).insert(jdbc);
        String instance = "/v1.0/" + project + "/instances/" + id;
        for (String tail : new String[] {"x", "}", ",", "{}", "\u0000"}) {
            Api.Response response = api.put(instance, "{\"instance\": {\"name\": \"renamed\"}}" + tail);
            assertThat(response.status()).as(tail + ": " + response.body()).isEqualTo(400);
            assertThat(response.json().at("/badRequest/message").asText()).isEqualTo("Malformed request body");
        }
        assertThat(api.put(instance, "{\"instance\": {\"name\": \"renamed\"}}\n  ").status())
                .as("whitespace after the value is no more than whitespace").isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT name FROM instances WHERE id = ?", String.class, id))
                .isEqualTo("renamed");
    }
}
