package org.trovej.api.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;

/** /backup_strategies: upsert per project and instance, lists, silent deletes, other projects for admins only. */
class BackupStrategyTest extends ApiIntegrationTest {

    private final String project = TestData.project();
    private final String path = "/v1.0/" + project + "/backup_strategies";

    private int rows() {
        return count("SELECT count(*) FROM backup_strategy WHERE tenant_id = ?", project);
    }

    @Test
    void createUpsertsPerInstanceAndAnswers202WithTheStrategy() {
        Api.Response created = api.post(path, "{\"backup_strategy\": {\"swift_container\": \"first\"}}");
        assertThat(created.status()).isEqualTo(202);
        assertThat(created.json().toString()).isEqualTo("{\"backup_strategy\":{\"project_id\":\"" + project
                + "\",\"instance_id\":\"\",\"backend\":\"swift\",\"swift_container\":\"first\"}}");

        Api.Response replaced = api.post(path, "{\"backup_strategy\": {\"swift_container\": \"second\"}}");
        assertThat(replaced.json().at("/backup_strategy/swift_container").asText()).isEqualTo("second");
        assertThat(rows()).isEqualTo(1);

        String instance = UUID.randomUUID().toString();
        assertThat(api.post(path, "{\"backup_strategy\": {\"swift_container\": \"own\", \"instance_id\": \""
                + instance + "\"}}").json().at("/backup_strategy/instance_id").asText()).isEqualTo(instance);
        assertThat(rows()).isEqualTo(2);

        assertThat(api.get(path).json().toString()).isEqualTo("{\"backup_strategies\":[{\"project_id\":\"" + project
                + "\",\"instance_id\":\"\",\"backend\":\"swift\",\"swift_container\":\"second\"},{\"project_id\":\""
                + project + "\",\"instance_id\":\"" + instance + "\",\"backend\":\"swift\",\"swift_container\":"
                + "\"own\"}]}");
        assertThat(api.get(path + "?instance_id=" + instance).json().get("backup_strategies")).hasSize(1);
    }

    @Test
    void deleteRemovesOneStrategyAndIsSilentWhenThereIsNone() {
        String instance = UUID.randomUUID().toString();
        api.post(path, "{\"backup_strategy\": {\"swift_container\": \"wide\"}}");
        api.post(path, "{\"backup_strategy\": {\"swift_container\": \"own\", \"instance_id\": \"" + instance + "\"}}");

        Api.Response deleted = api.delete(path + "?instance_id=" + instance);
        assertThat(deleted.status()).isEqualTo(202);
        assertThat(deleted.body()).isEmpty();
        assertThat(rows()).isEqualTo(1);
        assertThat(api.delete(path + "?instance_id=" + instance).status()).isEqualTo(202);
        assertThat(api.delete(path).status()).as("no instance_id: the project-wide one").isEqualTo(202);
        assertThat(rows()).isZero();
    }

    @Test
    void anotherProjectsStrategiesAreAnAdminsBusinessOnly() {
        String other = TestData.project();
        api.post("/v1.0/" + other + "/backup_strategies", "{\"backup_strategy\": {\"swift_container\": \"theirs\"}}");

        for (Api.Response refused : new Api.Response[] {api.get(path + "?project_id=" + other),
                api.delete(path + "?project_id=" + other)}) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().toString()).isEqualTo("{\"forbidden\":{\"code\":403,\"message\":\"Operation not "
                    + "allowed for tenant " + project + ".\"}}");
        }
        assertThat(count("SELECT count(*) FROM backup_strategy WHERE tenant_id = ?", other)).isEqualTo(1);

        assertThat(api.get(path + "?project_id=" + other, AS_ADMIN).json().at("/backup_strategies/0/swift_container")
                .asText()).isEqualTo("theirs");
        assertThat(api.delete(path + "?project_id=" + other, AS_ADMIN).status()).isEqualTo(202);
        assertThat(count("SELECT count(*) FROM backup_strategy WHERE tenant_id = ?", other)).isZero();
    }

    @Test
    void badBodiesGetTroveValidationMessagesAndWriteNothing() {
        assertRefused("{\"backup_strategy\": {\"swift_container\": \"c\", \"backend\": \"ceph\"}}",
                "Validation error: backup_strategy Additional properties are not allowed ('backend' was unexpected)");
        assertRefused("{\"backup_strategy\": {}}",
                "Validation error: backup_strategy 'swift_container' is a required property");
        assertRefused("{\"backup_strategy\": {\"swift_container\": \"c\", \"instance_id\": \"x\"}}",
                "Validation error: backup_strategy['instance_id'] 'x' does not match '^([0-9a-fA-F]){8}-([0-9a-fA-F])"
                        + "{4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'");
        assertRefused("{\"backup_strategy\": {\"swift_container\": \"\"}}",
                "Validation error: backup_strategy['swift_container'] '' should be non-empty; "
                        + "backup_strategy['swift_container'] '' does not match '^.*[0-9a-zA-Z]+.*$'");
        assertThat(rows()).isZero();
    }

    private void assertRefused(String body, String message) {
        Api.Response refused = api.post(path, body);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().at("/badRequest/message").asText()).isEqualTo(message);
    }
}
