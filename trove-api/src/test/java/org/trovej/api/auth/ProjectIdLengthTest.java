package org.trovej.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;

/**
 * A project id longer than Keystone's 64 characters (and the database's columns) names no project: 400 before
 * anything is read or written, where it used to fail in the database with a 500.
 */
class ProjectIdLengthTest extends ApiIntegrationTest {

    private static final String TOO_LONG = "p" + "0".repeat(64);

    @Test
    void aQuotaForATenantIdTooLongIsABadRequestAndWritesNothing() {
        String admin = "admin-" + UUID.randomUUID();
        String path = "/v1.0/" + admin + "/mgmt/quotas/" + TOO_LONG;

        Api.Response updated = api.put(path, "{\"quotas\": {\"instances\": 5}}", AS_ADMIN);
        Api.Response shown = api.get(path, AS_ADMIN);

        for (Api.Response response : new Api.Response[] {updated, shown}) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.json().at("/badRequest/message").asText())
                    .isEqualTo("Invalid tenant id '" + TOO_LONG + "': it is longer than 64 characters.");
        }
        assertThat(count("SELECT count(*) FROM quotas WHERE tenant_id LIKE 'p00000000%'")).isZero();
        String longest = TOO_LONG.substring(1);
        assertThat(api.put("/v1.0/" + admin + "/mgmt/quotas/" + longest, "{\"quotas\": {\"instances\": 5}}",
                AS_ADMIN).status()).isEqualTo(200);
        jdbc.update("DELETE FROM quotas WHERE tenant_id = ?", longest);
    }

    @Test
    void aPathProjectTooLongIsABadRequestAndCreatesNothing() {
        String project = "q" + "1".repeat(99);
        String name = "long-project-" + UUID.randomUUID();
        int before = count("SELECT count(*) FROM instances");

        Api.Response created = api.post("/v1.0/" + project + "/instances", "{\"instance\": {\"name\": \"" + name
                + "\", \"flavorRef\": \"2\", \"volume\": {\"size\": 1}}}");
        Api.Response listed = api.get("/v1.0/" + project + "/instances");

        for (Api.Response response : new Api.Response[] {created, listed}) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.json().at("/badRequest/message").asText())
                    .isEqualTo("Invalid project id '" + project + "': it is longer than 64 characters.");
        }
        assertThat(count("SELECT count(*) FROM instances")).isEqualTo(before);
        assertThat(casts.settled(c -> name.equals(c.args().path("name").asText()))).isEmpty();
        assertThat(api.get("/v1.0/" + "r".repeat(64) + "/instances").status()).isEqualTo(200);
    }

    @Test
    void aHeaderProjectTooLongIsABadRequest() {
        Api.Response response = api.get("/compute/v2.1/servers", "X-Project-Id", TOO_LONG);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
    }
}
