package org.trovej.api.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** /mgmt/instances: list across projects with filters and pages, the management detail view, the actions. */
class MgmtInstanceTest extends ApiIntegrationTest {

    private static final String BASE = "/v1.0/admin/mgmt/instances";

    private List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("instances").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    @Test
    void listsEveryProjectWithTheDeletedAndProjectFilters() {
        String a = TestData.project();
        String b = TestData.project();
        String live = new InstanceRow(a).insert(jdbc);
        String other = new InstanceRow(b).insert(jdbc);
        String gone = new InstanceRow(a).insert(jdbc);
        jdbc.update("UPDATE instances SET deleted = true, deleted_at = ? WHERE id = ?", TestData.nowUtc(), gone);

        assertThat(ids(api.get(BASE + "?deleted=False&project_id=" + a, AS_ADMIN).json()))
                .containsExactly(live);
        assertThat(ids(api.get(BASE + "?deleted=true&project_id=" + a, AS_ADMIN).json())).containsExactly(gone);
        assertThat(ids(api.get(BASE + "?project_id=" + a, AS_ADMIN).json())).containsExactlyInAnyOrder(live, gone);
        assertThat(ids(api.get(BASE + "?deleted=false&project_id=" + b, AS_ADMIN).json())).containsExactly(other);
        JsonNode everyone = api.get(BASE + "?deleted=false&limit=1", AS_ADMIN).json();
        assertThat(everyone.get("instances")).hasSize(1);
        assertThat(everyone.at("/links/0/rel").asText()).as("more than one project's instances").isEqualTo("next");

        JsonNode view = api.get(BASE + "?project_id=" + b, AS_ADMIN).json().at("/instances/0");
        assertThat(view.get("tenant_id").asText()).isEqualTo(b);
        assertThat(view.get("deleted").asBoolean()).isFalse();
        assertThat(view.get("deleted_at").isNull()).isTrue();
        assertThat(view.get("service_status").asText()).isEqualTo("HEALTHY");
        assertThat(view.get("task_description").asText()).isEqualTo("test");
        assertThat(view.at("/server/status").asText()).isEqualTo("ACTIVE");
        assertThat(view.at("/server/tenant_id").asText()).isEqualTo(b);
        assertThat(view.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(view.has("created")).as("the detail view underneath").isTrue();
    }

    @Test
    void pagesByIdWithANextLink() {
        String project = TestData.project();
        for (int i = 0; i < 3; i++) {
            new InstanceRow(project).insert(jdbc);
        }
        JsonNode first = api.get(BASE + "?project_id=" + project + "&limit=2", AS_ADMIN).json();
        assertThat(first.get("instances")).hasSize(2);
        String next = first.at("/links/0/href").asText();
        assertThat(first.at("/links/0/rel").asText()).isEqualTo("next");
        String marker = next.replaceAll(".*marker=([^&]+).*", "$1");
        JsonNode second = api.get(BASE + "?project_id=" + project + "&limit=2&marker=" + marker, AS_ADMIN).json();
        assertThat(second.get("instances")).hasSize(1);
        assertThat(second.has("links")).isFalse();
    }

    @Test
    void showHasTheManagementDetail() {
        String project = TestData.project();
        String id = new InstanceRow(project).volume(3).insert(jdbc);
        jdbc.update("UPDATE instances SET volume_id = 'vol-1' WHERE id = ?", id);
        jdbc.update("INSERT INTO root_enabled_history (instance_id, user_id, created) VALUES (?, 'alice', "
                + "'2026-01-02 03:04:05')", id);

        JsonNode shown = api.get(BASE + "/" + id, AS_ADMIN).json().get("instance");

        assertThat(shown.get("id").asText()).isEqualTo(id);
        assertThat(shown.get("volume").toString()).isEqualTo("{\"id\":\"vol-1\",\"size\":3}");
        assertThat(shown.get("guest_status").toString()).isEqualTo("{\"state_description\":\"healthy\"}");
        assertThat(shown.get("root_enabled").asText()).isEqualTo("2026-01-02T03:04:05");
        assertThat(shown.get("root_enabled_by").asText()).isEqualTo("alice");
        assertThat(shown.get("tenant_id").asText()).isEqualTo(project);
        assertThat(shown.at("/server/addresses").isNull()).isTrue();

        assertThat(api.get(BASE + "/" + id + "/root", AS_ADMIN).json().toString()).isEqualTo(
                "{\"root_history\":{\"id\":\"" + id + "\",\"enabled\":\"2026-01-02T03:04:05\",\"user\":\"alice\"}}");
        String never = new InstanceRow(project).insert(jdbc);
        assertThat(api.get(BASE + "/" + never + "/root", AS_ADMIN).json().toString()).isEqualTo(
                "{\"root_history\":{\"id\":\"" + never + "\",\"enabled\":\"Never\",\"user\":\"Nobody\"}}");
        assertThat(api.get(BASE + "/" + never + "/root").status()).isEqualTo(401);

        jdbc.update("UPDATE instances SET deleted = true, deleted_at = ? WHERE id = ?", TestData.nowUtc(), id);
        assertThat(api.get(BASE + "/" + id, AS_ADMIN).status()).isEqualTo(404);
        JsonNode deleted = api.get(BASE + "/" + id + "?deleted=true", AS_ADMIN).json().get("instance");
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(deleted.get("deleted_at").asText()).matches("\\d{4}-.*T.*");
    }

    @Test
    void rebootStopAndResetTaskStatus() {
        String project = TestData.project();
        String id = new InstanceRow(project).insert(jdbc);
        String action = BASE + "/" + id + "/action";

        assertThat(api.post(action, "{\"reboot\": {}}", AS_ADMIN).status()).isEqualTo(202);
        assertThat(casts.await("reboot", id).args().toString()).isEqualTo("{\"instance_id\":\"" + id + "\"}");
        assertThat(jdbc.queryForMap("SELECT i.task_id, s.status_description FROM instances i JOIN service_statuses s "
                + "ON s.instance_id = i.id WHERE i.id = ?", id))
                .containsEntry("task_id", 0x03).containsEntry("status_description", "restarting");
        assertThat(api.get("/v1.0/" + project + "/instances/" + id).json().at("/instance/status").asText())
                .isEqualTo("REBOOT");

        jdbc.update("INSERT INTO backups (id, name, tenant_id, instance_id, state, deleted, created, updated) "
                + "VALUES (gen_random_uuid()::text, 'b', ?, ?, 'BUILDING', false, now(), now())", project, id);
        assertThat(api.post(action, "{\"reset-task-status\": {}}", AS_ADMIN).status()).isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT task_id FROM instances WHERE id = ?", Integer.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT state FROM backups WHERE instance_id = ?", String.class, id))
                .isEqualTo("FAILED");

        assertThat(api.post(action, "{\"stop\": {}}", AS_ADMIN).status()).isEqualTo(202);
        assertThat(casts.await("stop_db", id).args().toString()).isEqualTo("{\"instance_id\":\"" + id + "\"}");
    }

    @Test
    void actionsAreCheckedAndAdminOnly() {
        String project = TestData.project();
        String id = new InstanceRow(project).insert(jdbc);
        String action = BASE + "/" + id + "/action";

        Api.Response two = api.post(action, "{\"reboot\": {}, \"stop\": {}}", AS_ADMIN);
        assertThat(two.status()).isEqualTo(400);
        assertThat(two.json().at("/badRequest/message").asText())
                .isEqualTo("Only one action can be specified per request.");
        assertThat(api.post(action, "{\"fly\": {}}", AS_ADMIN).json().at("/badRequest/message").asText())
                .isEqualTo("Invalid instance action: fly");
        assertThat(api.post(action, "{}", AS_ADMIN).json().at("/badRequest/message").asText())
                .isEqualTo("Invalid request body.");
        assertThat(api.post(action, "{\"migrate\": {}}", AS_ADMIN).status()).isEqualTo(501);
        assertThat(api.post(BASE + "/nosuch/action", "{\"reboot\": {}}", AS_ADMIN).status()).isEqualTo(404);

        String mine = "/v1.0/" + project + "/mgmt/instances";
        for (Api.Response refused : new Api.Response[] {api.get(mine), api.get(mine + "/" + id),
                api.post(mine + "/" + id + "/action", "{\"reboot\": {}}")}) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.fault()).isEqualTo("unauthorized");
        }
        assertThat(jdbc.queryForObject("SELECT task_id FROM instances WHERE id = ?", Integer.class, id)).isEqualTo(1);
        assertThat(casts.settled(c -> id.equals(c.instanceId()))).isEmpty();
    }

    @Test
    void rebuildIsCheckedThenTheInstanceBuildsAndTheTaskManagerIsAsked() {
        String project = TestData.project();
        String id = new InstanceRow(project).insert(jdbc);
        String action = BASE + "/" + id + "/action";
        String image = "7c2c0b8e-6a62-3c59-9f6c-4f0e1d1a2b3c";

        for (String body : new String[] {"{\"rebuild\": {}}", "{\"rebuild\": {\"image_id\": \"not-a-uuid\"}}",
                "{\"rebuild\": {\"image_id\": \"" + image + "\", \"x\": 1}}", "{\"rebuild\": {\"image_id\": 7}}",
                "{\"rebuild\": []}"}) {
            Api.Response refused = api.post(action, body, AS_ADMIN);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.fault()).as(body).isEqualTo("badRequest");
        }
        assertThat(api.post(action, "{\"rebuild\": {\"image_id\": \"" + image + "\"}}").status())
                .as("a member").isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT task_id FROM instances WHERE id = ?", Integer.class, id)).isEqualTo(1);

        assertThat(api.post(action, "{\"rebuild\": {\"image_id\": \"" + image + "\"}}", AS_ADMIN).status())
                .isEqualTo(202);
        assertThat(casts.await("rebuild", id).args().toString())
                .isEqualTo("{\"instance_id\":\"" + id + "\",\"image_id\":\"" + image + "\"}");
        assertThat(api.get("/v1.0/" + project + "/instances/" + id).json().at("/instance/status").asText())
                .isEqualTo("BUILD");

        Api.Response busy = api.post(action, "{\"rebuild\": {\"image_id\": \"" + image + "\"}}", AS_ADMIN);
        assertThat(busy.status()).isEqualTo(422);
        assertThat(busy.json().at("/unprocessableEntity/message").asText()).contains("is not ready");
    }
}
