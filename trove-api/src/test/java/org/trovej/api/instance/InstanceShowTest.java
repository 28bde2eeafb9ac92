package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** GET /instances/{id}: status and operating status from the records (Trove's §3.4), faults, visibility. */
class InstanceShowTest extends ApiIntegrationTest {

    static Stream<Arguments> states() {
        return Stream.of(
                // task, server, service code, service description, heartbeat age s, backup, status, operating
                Arguments.of(0x05, "BUILD", 0x17, "new", 0, null, "BUILD", ""),
                Arguments.of(0x05, "ERROR", 0x17, "new", 0, null, "ERROR", ""),
                Arguments.of(0x51, "ERROR", 0x17, "new", 0, null, "ERROR", ""),
                Arguments.of(0x5b, "ACTIVE", 0x18, "guestagent error", 0, null, "ERROR", ""),
                Arguments.of(0x01, "ACTIVE", 0x21, "healthy", 0, null, "ACTIVE", "HEALTHY"),
                Arguments.of(0x01, "ACTIVE", 0x01, "running", 0, null, "ACTIVE", "ACTIVE"),
                Arguments.of(0x01, "ACTIVE", 0x04, "shutdown", 0, null, "ACTIVE", "SHUTDOWN"),
                Arguments.of(0x01, "ACTIVE", 0x08, "failed to spawn", 0, null, "ACTIVE", "FAILED"),
                Arguments.of(0x01, "ACTIVE", 0x16, "unknown", 0, null, "ACTIVE", "ERROR"),
                // heartbeat expiry: a silent guest is an error, unless a restart is pending or a task runs
                Arguments.of(0x01, "ACTIVE", 0x21, "healthy", 120, null, "ACTIVE", "ERROR"),
                Arguments.of(0x01, "ACTIVE", 0x20, "restart required", 120, null, "ACTIVE", "RESTART_REQUIRED"),
                Arguments.of(0x03, "ACTIVE", 0x22, "restarting", 120, null, "REBOOT", ""),
                Arguments.of(0x04, "ACTIVE", 0x21, "healthy", 0, null, "RESIZE", ""),
                Arguments.of(0x07, "ACTIVE", 0x20, "restart required", 0, null, "RESTART_REQUIRED", ""),
                Arguments.of(0x02, "ACTIVE", 0x21, "healthy", 0, null, "SHUTDOWN", ""),
                Arguments.of(0x02, "ERROR", 0x21, "healthy", 0, null, "ERROR", ""),
                Arguments.of(0x01, "SHUTDOWN", 0x04, "shutdown", 0, null, "SHUTDOWN", ""),
                Arguments.of(0x01, "DELETED", 0x04, "shutdown", 0, null, "SHUTDOWN", ""),
                Arguments.of(0x01, "SHUTOFF", 0x04, "shutdown", 0, null, "UNKNOWN", ""),
                Arguments.of(0x01, "ACTIVE", 0x21, "healthy", 0, "SAVING", "BACKUP", "HEALTHY"),
                Arguments.of(0x01, "ACTIVE", 0x21, "healthy", 0, "COMPLETED", "ACTIVE", "HEALTHY"));
    }

    @ParameterizedTest(name = "task {0} server {1} service {3} ({4} s) backup {5} -> {6}/{7}")
    @MethodSource("states")
    void statusAndOperatingStatusFollowTrovesDerivation(int task, String server, int serviceCode, String service,
                                                        int heartbeatAge, String backup, String status,
                                                        String operating) {
        String project = TestData.project();
        String id = new InstanceRow(project).task(task).server(server).service(serviceCode, service)
                .heartbeat(TestData.nowUtc().minusSeconds(heartbeatAge)).insert(jdbc);
        if (backup != null) {
            jdbc.update("INSERT INTO backups (id, name, tenant_id, state, instance_id, created, updated, deleted) "
                    + "VALUES (?, 'b', ?, ?, ?, now(), now(), false)", UUID.randomUUID().toString(), project, backup,
                    id);
        }

        JsonNode shown = api.get("/v1.0/" + project + "/instances/" + id).json().get("instance");
        JsonNode listed = api.get("/v1.0/" + project + "/instances").json().get("instances").get(0);

        assertThat(shown.get("status").asText()).isEqualTo(status);
        assertThat(shown.get("operating_status").asText()).isEqualTo(operating);
        assertThat(listed.get("status").asText()).isEqualTo(status);
        assertThat(listed.get("operating_status").asText()).isEqualTo(operating);
    }

    @Test
    void theDetailShowsTheNewestFaultWithItsDetailsOnlyToAdmins() {
        String project = TestData.project();
        String id = new InstanceRow(project).task(0x51).server("ERROR").insert(jdbc);
        jdbc.update("INSERT INTO instance_faults (id, instance_id, message, details, created, updated, deleted) VALUES "
                + "(?, ?, 'old', 'old trace', '2024-01-01 10:00:00', '2024-01-01 10:00:00', false), "
                + "(?, ?, 'server failed', 'the trace', '2024-01-02 10:00:00', '2024-01-02 10:00:00.5', false), "
                + "(?, ?, 'gone', 'x', '2024-01-03 10:00:00', '2024-01-03 10:00:00', true)",
                UUID.randomUUID().toString(), id, UUID.randomUUID().toString(), id, UUID.randomUUID().toString(), id);

        JsonNode owner = api.get("/v1.0/" + project + "/instances/" + id).json().get("instance");
        JsonNode admin = api.get("/v1.0/" + project + "/instances/" + id, AS_ADMIN).json().get("instance");

        assertThat(owner.get("fault").toString())
                .isEqualTo("{\"message\":\"server failed\",\"created\":\"2024-01-02T10:00:00\",\"details\":null}");
        assertThat(admin.get("fault").get("details").asText()).isEqualTo("the trace");
        assertThat(owner.has("server_id")).isFalse();
        assertThat(admin.get("server_id").asText()).isNotEmpty();
        assertThat(admin.get("volume_id").isNull()).isTrue();
        assertThat(admin.get("encrypted_rpc_messaging").asBoolean()).isFalse();
        assertThat(admin.get("tenant_id").asText()).isEqualTo(project);
    }

    @Test
    void theDetailShowsAddressesAndTheAccessTheyImply() {
        String project = TestData.project();
        String id = new InstanceRow(project).addresses("[{\"address\": \"127.0.5.6\", \"type\": \"private\", "
                + "\"network\": \"local\"}, {\"address\": \"203.0.113.9\", \"type\": \"public\"}]").insert(jdbc);
        String stored = new InstanceRow(project).access("{\"is_public\": false, \"allowed_cidrs\": []}")
                .addresses("[{\"address\": \"203.0.113.10\", \"type\": \"public\"}]").insert(jdbc);

        JsonNode instance = api.get("/v1.0/" + project + "/instances/" + id).json().get("instance");

        assertThat(instance.get("ip").toString()).isEqualTo("[\"127.0.5.6\",\"203.0.113.9\"]");
        assertThat(instance.get("addresses")).hasSize(2);
        assertThat(instance.get("access").toString()).isEqualTo("{\"is_public\":true}");
        assertThat(api.get("/v1.0/" + project + "/instances/" + stored).json().at("/instance/access").toString())
                .isEqualTo("{\"is_public\":false,\"allowed_cidrs\":[]}");
    }

    @Test
    void replicasAndTheirSourceLinkToEachOther() {
        String project = TestData.project();
        String primary = new InstanceRow(project).insert(jdbc);
        String replica = new InstanceRow(project).insert(jdbc);
        jdbc.update("UPDATE instances SET slave_of_id = ? WHERE id = ?", primary, replica);

        JsonNode shown = api.get("/v1.0/" + project + "/instances/" + primary).json().get("instance");
        JsonNode listed = api.get("/v1.0/" + project + "/instances").json().get("instances");

        assertThat(shown.get("replicas")).hasSize(1);
        assertThat(shown.at("/replicas/0/id").asText()).isEqualTo(replica);
        assertThat(shown.at("/replicas/0/links/0/href").asText()).endsWith("/instances/" + replica);
        assertThat(api.get("/v1.0/" + project + "/instances/" + replica).json().at("/instance/replica_of/id").asText())
                .isEqualTo(primary);
        for (JsonNode item : listed) {
            assertThat(item.has(item.get("id").asText().equals(primary) ? "replicas" : "replica_of")).isTrue();
        }
        assertThat(api.delete("/v1.0/" + project + "/instances/" + primary).json()
                .at("/forbidden/message").asText()).isEqualTo("Detach replicas before deleting replica source.");
    }

    @Test
    void anotherProjectsInstanceIsNotFoundButAnAdminSeesIt() {
        String owner = TestData.project();
        String id = new InstanceRow(owner).insert(jdbc);
        String other = TestData.project();

        Api.Response refused = api.get("/v1.0/" + other + "/instances/" + id);
        Api.Response asAdmin = api.get("/v1.0/" + other + "/instances/" + id, AS_ADMIN);

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.body()).isEqualTo("{\"itemNotFound\":{\"code\":404,\"message\":\"Resource " + id
                + " cannot be found.\"}}");
        assertThat(asAdmin.status()).isEqualTo(200);
        assertThat(asAdmin.json().at("/instance/links/0/href").asText())
                .as("links name the caller's project").contains("/v1.0/" + other + "/instances/" + id);
    }

    @Test
    void unknownDeletedAndNamedInstancesAreNotFound() {
        String project = TestData.project();
        String id = new InstanceRow(project).name("by-name").insert(jdbc);
        String deleted = new InstanceRow(project).insert(jdbc);
        jdbc.update("UPDATE instances SET deleted = true, deleted_at = now() WHERE id = ?", deleted);

        // OSC's find_resource asks by name first and must get a 404 before it scans the list
        for (String ref : new String[] {"by-name", deleted, UUID.randomUUID().toString()}) {
            Api.Response response = api.get("/v1.0/" + project + "/instances/" + ref);
            assertThat(response.status()).as(ref).isEqualTo(404);
            assertThat(response.fault()).isEqualTo("itemNotFound");
        }
        assertThat(api.get("/v1.0/" + project + "/instances/" + id).status()).isEqualTo(200);
    }

    @Test
    void aWrongVerbOnAKnownPathIsItemNotFound() {
        String project = TestData.project();
        Api.Response response = api.send("DELETE", "/v1.0/" + project + "/instances", null, null);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.fault()).isEqualTo("itemNotFound");
        assertThat(response.header("x-openstack-request-id")).startsWith("req-");
    }
}
