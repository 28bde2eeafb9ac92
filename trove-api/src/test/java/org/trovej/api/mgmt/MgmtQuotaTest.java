package org.trovej.api.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;

/** GET/PUT /mgmt/quotas/{project}: who may do what, Trove's shapes and refusals. */
class MgmtQuotaTest extends ApiIntegrationTest {

    private final String project = TestData.project();
    private final String path = "/v1.0/" + project + "/mgmt/quotas/" + project;

    @Test
    void aProjectSeesItsOwnQuotasWithUsageInTrovesOrder() {
        Api.Response shown = api.get(path);

        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().toString()).isEqualTo("{\"quotas\":["
                + "{\"resource\":\"instances\",\"in_use\":0,\"reserved\":0,\"limit\":10},"
                + "{\"resource\":\"ram\",\"in_use\":0,\"reserved\":0,\"limit\":-1},"
                + "{\"resource\":\"backups\",\"in_use\":0,\"reserved\":0,\"limit\":50},"
                + "{\"resource\":\"volumes\",\"in_use\":0,\"reserved\":0,\"limit\":40}]}");
        assertThat(count("SELECT count(*) FROM quota_usages WHERE tenant_id = ?", project))
                .as("show writes nothing").isZero();
    }

    @Test
    void anotherProjectsQuotasAreForbiddenToMembersAndOpenToAdmins() {
        String other = "/v1.0/" + project + "/mgmt/quotas/" + TestData.project();

        Api.Response refused = api.get(other);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().toString()).isEqualTo("{\"forbidden\":{\"code\":403,\"message\":"
                + "\"Operation not allowed for tenant " + project + ".\"}}");
        assertThat(api.get(other, AS_ADMIN).status()).isEqualTo(200);
    }

    @Test
    void onlyAdminsUpdateAndGetBackTheLimitsTheySet() {
        Api.Response member = api.put(path, "{\"quotas\": {\"instances\": 3}}");
        assertThat(member.status()).isEqualTo(401);
        assertThat(member.json().toString()).isEqualTo(
                "{\"unauthorized\":{\"code\":401,\"message\":\"User does not have admin privileges.\"}}");

        Api.Response updated = api.put(path, "{\"quotas\": {\"instances\": 3, \"volumes\": null, \"ram\": -1}}",
                AS_ADMIN);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().toString()).isEqualTo("{\"quotas\":{\"instances\":3,\"ram\":-1}}");
        assertThat(api.get(path).json().at("/quotas/0/limit").asInt()).isEqualTo(3);
        assertThat(api.get(path).json().at("/quotas/3/limit").asInt()).as("volumes untouched").isEqualTo(40);

        assertThat(api.put(path, "{\"quotas\": {\"instances\": 4}}", AS_ADMIN).json().toString())
                .isEqualTo("{\"quotas\":{\"instances\":4}}");
        assertThat(api.get(path).json().at("/quotas/0/limit").asInt()).isEqualTo(4);
    }

    @Test
    void badLimitsAndUnknownResourcesAreRefusedAndNothingChanges() {
        Api.Response small = api.put(path, "{\"quotas\": {\"instances\": 2, \"backups\": -2}}", AS_ADMIN);
        assertThat(small.status()).isEqualTo(400);
        assertThat(small.json().at("/badRequest/message").asText())
                .isEqualTo("Quota limit '-2' for 'backups' is too small - must be at least '-1'.");

        Api.Response unknown = api.put(path, "{\"quotas\": {\"instances\": 2, \"cores\": 4}}", AS_ADMIN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().toString())
                .isEqualTo("{\"itemNotFound\":{\"code\":404,\"message\":\"Unknown quota resources cores.\"}}");

        assertThat(api.put(path, "{}", AS_ADMIN).status()).isEqualTo(400);
        assertThat(count("SELECT count(*) FROM quotas WHERE tenant_id = ?", project)).isZero();
    }
}
