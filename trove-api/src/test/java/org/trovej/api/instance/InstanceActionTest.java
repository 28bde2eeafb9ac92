package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.CastRecorder;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** DELETE, the actions and PUT/PATCH: status codes, what is recorded before the cast, and the casts. */
class InstanceActionTest extends ApiIntegrationTest {

    private final String project = TestData.project();

    private String path(String id) {
        return "/v1.0/" + project + "/instances/" + id;
    }

    private Map<String, Object> row(String id) {
        return jdbc.queryForMap("SELECT i.task_id, i.name, i.access::text AS access, i.flavor_id, s.status_id, "
                + "s.status_description FROM instances i JOIN service_statuses s ON s.instance_id = i.id "
                + "WHERE i.id = ?", id);
    }

    @Test
    void deleteIsRefusedWhileBuildingAndAcceptedOnceTheBuildFailed() {
        String building = new InstanceRow(project).task(0x05).server("BUILD").service(0x17, "new").insert(jdbc);
        String failed = new InstanceRow(project).task(0x51).server("ERROR").service(0x17, "new").insert(jdbc);

        Api.Response refused = api.delete(path(building));
        Api.Response accepted = api.delete(path(failed));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().at("/unprocessableEntity/message").asText())
                .isEqualTo("Instance " + building + " is not ready. (Status is BUILD).");
        assertThat(row(building)).containsEntry("task_id", 0x05);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body()).isEmpty();
        assertThat(row(failed)).containsEntry("task_id", 0x02);
        assertThat(casts.await("delete_instance", failed).args().toString())
                .isEqualTo("{\"instance_id\":\"" + failed + "\"}");
        assertThat(casts.settled(c -> building.equals(c.instanceId()))).isEmpty();
        assertThat(api.get(path(failed)).json().at("/instance/status").asText())
                .as("deleting an errored server").isEqualTo("ERROR");
    }

    @Test
    void deletingAnActiveInstanceShowsShutdownUntilItIsGone() {
        String id = new InstanceRow(project).insert(jdbc);

        assertThat(api.delete(path(id)).status()).isEqualTo(202);

        casts.await("delete_instance", id);
        assertThat(api.get(path(id)).json().at("/instance/status").asText()).isEqualTo("SHUTDOWN");
        jdbc.update("UPDATE instances SET deleted = true, deleted_at = now() WHERE id = ?", id);
        assertThat(api.get(path(id)).status()).isEqualTo(404);
    }

    @Test
    void restartSetsRebootingAndRestartingThenCasts() {
        String id = new InstanceRow(project).insert(jdbc);

        Api.Response response = api.post(path(id) + "/action", "{\"restart\": {}}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(row(id)).containsEntry("task_id", 0x03).containsEntry("status_id", 0x22)
                .containsEntry("status_description", "restarting");
        CastRecorder.Cast cast = casts.await("restart", id);
        assertThat(cast.context().projectId()).isEqualTo(project);
        assertThat(cast.context().requestId()).isEqualTo(response.header("x-openstack-request-id"));
        assertThat(api.get(path(id)).json().at("/instance/status").asText()).isEqualTo("REBOOT");
    }

    /** Trove runs whichever action its loop sees last; a body naming two is refused here, nothing run. */
    @Test
    void aBodyWithTwoActionsIsRefusedAndRunsNeither() {
        String id = new InstanceRow(project).insert(jdbc);

        Api.Response response = api.post(path(id) + "/action",
                "{\"restart\": {}, \"resize\": {\"flavorRef\": \"2\"}}");
        Api.Response reversed = api.post(path(id) + "/action",
                "{\"resize\": {\"volume\": {\"size\": 2}}, \"restart\": {}}");

        for (Api.Response r : new Api.Response[] {response, reversed}) {
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().at("/badRequest/message").asText())
                    .isEqualTo("Only one action can be specified per request.");
        }
        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("task_id", 0x01);
        assertThat(casts.settled(c -> id.equals(c.instanceId()))).isEmpty();
    }

    @Test
    void actionsOnABusyInstanceAreUnprocessableAndCastNothing() {
        String building = new InstanceRow(project).task(0x05).server("BUILD").service(0x17, "new").insert(jdbc);
        String resizing = new InstanceRow(project).task(0x04).insert(jdbc);
        String crashedGuest = new InstanceRow(project).service(0x08, "failed to spawn").insert(jdbc);
        String backingUp = new InstanceRow(project).insert(jdbc);
        jdbc.update("INSERT INTO backups (id, name, tenant_id, state, instance_id, created, updated, deleted) "
                + "VALUES (?, 'b', ?, 'BUILDING', ?, now(), now(), false)", UUID.randomUUID().toString(), project,
                backingUp);

        assertThat(api.post(path(building) + "/action", "{\"restart\": {}}").json()
                .at("/unprocessableEntity/message").asText()).isEqualTo("Instance " + building
                + " is not currently available for an action to be performed (instance status was BUILD).");
        assertThat(api.post(path(resizing) + "/action", "{\"restart\": {}}").json()
                .at("/unprocessableEntity/message").asText()).endsWith("(task status was RESIZING).");
        assertThat(api.post(path(crashedGuest) + "/action", "{\"resize\": {\"flavorRef\": \"3\"}}").status())
                .isEqualTo(422);
        assertThat(api.post(path(backingUp) + "/action", "{\"restart\": {}}").json()
                .at("/unprocessableEntity/message").asText()).endsWith("(instance status was BACKUP).");
        assertThat(casts.settled(c -> project.equals(c.context().projectId()))).isEmpty();
        assertThat(row(resizing)).containsEntry("task_id", 0x04);
    }

    @Test
    void resizeFlavorChecksTheFlavorsAndCastsBothDicts() {
        String id = new InstanceRow(project).flavor("2").insert(jdbc);

        assertThat(api.post(path(id) + "/action", "{\"resize\": {\"flavorRef\": \"2\"}}").json()
                .at("/badRequest/message").asText())
                .isEqualTo("The new flavor id must be different than the current flavor id of '2'.");
        assertThat(api.post(path(id) + "/action", "{\"resize\": {\"flavorRef\": \"99\"}}").json()
                .at("/badRequest/message").asText()).isEqualTo("Resource 99 cannot be found.");
        assertThat(api.post(path(id) + "/action", "{\"resize\": {\"flavorRef\": \"\"}}").fault())
                .isEqualTo("badRequest");
        assertThat(row(id)).containsEntry("task_id", 0x01);

        Api.Response response = api.post(path(id) + "/action",
                "{\"resize\": {\"flavorRef\": \"https://h/v1.0/" + project + "/flavors/3\"}}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(row(id)).containsEntry("task_id", 0x04);
        CastRecorder.Cast cast = casts.await("resize_flavor", id);
        assertThat(cast.args().get("old_flavor").get("name").asText()).isEqualTo("m1.small");
        assertThat(cast.args().get("new_flavor").toString())
                .isEqualTo("{\"id\":\"3\",\"name\":\"m1.medium\",\"ram\":4096,\"vcpus\":2,\"disk\":40,\"ephemeral\":0}");
        assertThat(api.get(path(id)).json().at("/instance/status").asText()).isEqualTo("RESIZE");
    }

    @Test
    void resizeVolumeMustGrowWithinTheMaximum() {
        String id = new InstanceRow(project).volume(2).insert(jdbc);

        Api.Response smaller = api.post(path(id) + "/action", "{\"resize\": {\"volume\": {\"size\": 2}}}");
        Api.Response tooBig = api.post(path(id) + "/action", "{\"resize\": {\"volume\": {\"size\": 11}}}");
        Api.Response notANumber = api.post(path(id) + "/action", "{\"resize\": {\"volume\": {\"size\": \"x\"}}}");

        assertThat(smaller.status()).isEqualTo(400);
        assertThat(smaller.json().at("/badRequest/message").asText())
                .isEqualTo("The new volume 'size' must be larger than the current volume size of '2'.");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.fault()).isEqualTo("overLimit");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(casts.settled(c -> id.equals(c.instanceId()))).isEmpty();

        assertThat(api.post(path(id) + "/action", "{\"resize\": {\"volume\": {\"size\": \"5\"}}}").status())
                .isEqualTo(202);
        assertThat(row(id)).containsEntry("task_id", 0x04);
        assertThat(casts.await("resize_volume", id).args().toString())
                .isEqualTo("{\"new_size\":5,\"instance_id\":\"" + id + "\"}");
    }

    @Test
    void resetStatusIsForAdminsAndClearsTheTaskTheServiceStatusAndRunningBackups() {
        String id = new InstanceRow(project).task(0x05).server("BUILD").service(0x17, "new").insert(jdbc);
        String backup = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO backups (id, name, tenant_id, state, instance_id, created, updated, deleted) "
                + "VALUES (?, 'b', ?, 'NEW', ?, now(), now(), false)", backup, project, id);

        Api.Response refused = api.post(path(id) + "/action", "{\"reset_status\": {}}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("{\"forbidden\":{\"code\":403,\"message\":\"Policy doesn't allow "
                + "instance:reset_status to be performed.\"}}");
        assertThat(row(id)).containsEntry("task_id", 0x05);

        assertThat(api.post(path(id) + "/action", "{\"reset_status\": {}}", AS_ADMIN).status()).isEqualTo(202);
        assertThat(row(id)).containsEntry("task_id", 0x01).containsEntry("status_id", 0x16)
                .containsEntry("status_description", "unknown");
        assertThat(jdbc.queryForObject("SELECT state FROM backups WHERE id = ?", String.class, backup))
                .isEqualTo("FAILED");
        assertThat(casts.settled(c -> id.equals(c.instanceId()))).isEmpty();

        // the owner may reset before a forced delete (a build stuck although its server came up)
        jdbc.update("UPDATE instances SET task_id = 5, server_status = 'ACTIVE' WHERE id = ?", id);
        assertThat(api.post(path(id) + "/action", "{\"reset_status\": {\"force_delete\": true}}").status())
                .isEqualTo(202);
        assertThat(api.delete(path(id)).status()).isEqualTo(202);
        casts.await("delete_instance", id);
    }

    @Test
    void malformedActionsAreBadRequests() {
        String id = new InstanceRow(project).insert(jdbc);

        for (String body : new String[] {"{}", "{\"reboot_the_world\": {}}", "{\"restart\": 5}",
                "{\"resize\": {}}", "{\"resize\": {\"volume\": {}}}"}) {
            Api.Response response = api.post(path(id) + "/action", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.fault()).as(body).isEqualTo("badRequest");
        }
        assertThat(api.send("POST", path(id) + "/action", "", "application/json").status()).isEqualTo(400);
        assertThat(row(id)).containsEntry("task_id", 0x01);
    }

    @Test
    void anotherProjectGets404ForEveryChangeAndNothingChanges() {
        String id = new InstanceRow(project).insert(jdbc);
        String other = "/v1.0/" + TestData.project() + "/instances/" + id;

        assertThat(api.delete(other).status()).isEqualTo(404);
        assertThat(api.post(other + "/action", "{\"restart\": {}}").status()).isEqualTo(404);
        assertThat(api.post(other + "/action", "{\"reset_status\": {}}").status()).isEqualTo(404);
        assertThat(api.put(other, "{\"instance\": {\"name\": \"stolen\"}}").status()).isEqualTo(404);
        assertThat(row(id)).containsEntry("task_id", 0x01).containsEntry("status_id", 0x21);
        assertThat(casts.settled(c -> id.equals(c.instanceId()))).isEmpty();

        assertThat(api.post(other + "/action", "{\"restart\": {}}", AS_ADMIN).status())
                .as("an admin acts on any project's instance").isEqualTo(202);
        casts.await("restart", id);
    }

    @Test
    void updateRenamesAndChangesAccessOneAttributeAtATime() {
        String id = new InstanceRow(project).insert(jdbc);

        assertThat(api.put(path(id), "{\"instance\": {\"name\": \"renamed\"}}").status()).isEqualTo(202);
        assertThat(row(id)).containsEntry("name", "renamed");
        assertThat(api.put(path(id), "{\"instance\": {\"name\": \"again\", \"access\": {\"is_public\": true, "
                + "\"allowed_cidrs\": [\"192.0.2.0/24\"]}}}").status()).isEqualTo(202);
        assertThat(api.get(path(id)).json().at("/instance/access").toString())
                .isEqualTo("{\"is_public\":true,\"allowed_cidrs\":[\"192.0.2.0/24\"]}");
        assertThat(api.patch(path(id), "{\"instance\": {\"name\": \"patched\"}}").status()).isEqualTo(202);
        assertThat(row(id)).containsEntry("name", "patched");
        assertThat(api.put(path(id), "{\"instance\": {}}").status()).as("detach: nothing attached").isEqualTo(202);
        assertThat(api.put(path(id), "{\"instance\": {\"configuration\": null}}").status()).isEqualTo(202);

        Api.Response twoChanges = api.put(path(id), "{\"instance\": {\"access\": {\"is_public\": false}, "
                + "\"configuration\": null}}");
        assertThat(twoChanges.status()).isEqualTo(400);
        assertThat(twoChanges.json().at("/badRequest/message").asText())
                .isEqualTo("Only one attribute (except 'name') is allowed to update.");
        assertThat(api.put(path(id), "{\"instance\": {\"flavor\": \"1\"}}").json().at("/badRequest/message").asText())
                .isEqualTo("Validation error: instance Additional properties are not allowed ('flavor' was unexpected)");
        assertThat(api.patch(path(id), "{\"instance\": {\"access\": {\"is_public\": true}}}").status())
                .as("PATCH has no access").isEqualTo(400);
        assertThat(api.put(path(id), "{\"instance\": {\"name\": \"\"}}").status()).isEqualTo(400);
        assertThat(api.put(path(id), "{\"name\": \"x\"}").status()).isEqualTo(400);
        assertThat(api.put(path(id), "{\"instance\": {\"replica_of\": null}}").json().at("/badRequest/message")
                .asText()).isEqualTo("Instance " + id + " is not a replica.");
        assertThat(api.put(path(id), "{\"instance\": {\"configuration\": \"" + UUID.randomUUID() + "\"}}").status())
                .isEqualTo(404);
        assertThat(row(id)).containsEntry("name", "patched").containsEntry("task_id", 0x01);
        assertThat(casts.settled(c -> id.equals(c.instanceId()))).isEmpty();
    }
}
