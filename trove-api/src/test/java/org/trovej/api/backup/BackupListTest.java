package org.trovej.api.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.BackupRow;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** GET /backups, /backups/{id} and /instances/{id}/backups: views, visibility, paging, filters, admin filters. */
class BackupListTest extends ApiIntegrationTest {

    private final String project = TestData.project();
    private final String other = TestData.project();

    private String base() {
        return "/v1.0/" + project;
    }

    private static List<String> ids(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().get("backups").forEach(b -> ids.add(b.get("id").asText()));
        return ids;
    }

    @Test
    void showGivesTroveViewOfTheCallersBackupAndHidesOtherProjects() {
        String instance = new InstanceRow(project).insert(jdbc);
        BackupRow row = new BackupRow(project).instance(instance).size(2.0);
        String id = row.insert(jdbc);
        String parented = new BackupRow(project).instance(instance).parent(id).size(0.25).insert(jdbc);
        String foreign = new BackupRow(other).insert(jdbc);
        String gone = new BackupRow(project).insert(jdbc);
        jdbc.update("UPDATE backups SET deleted = true, deleted_at = now() WHERE id = ?", gone);

        Api.Response shown = api.get(base() + "/backups/" + id);
        assertThat(shown.status()).isEqualTo(200);
        JsonNode backup = shown.json().get("backup");
        assertThat(backup.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(backup.get("locationRef").asText()).isEqualTo(row.location());
        assertThat(shown.body()).contains("\"size\":2.0,");
        assertThat(backup.get("created").asText()).doesNotEndWith("Z").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(backup.get("project_id").asText()).isEqualTo(project);
        assertThat(backup.get("datastore").toString()).isEqualTo("{\"type\":\"postgresql\",\"version\":\"16\","
                + "\"version_id\":\"" + TestData.PG16 + "\"}");
        assertThat(api.get(base() + "/backups/" + parented).json().at("/backup/parent_id").asText()).isEqualTo(id);

        for (String hidden : List.of(foreign, gone, "nope")) {
            Api.Response refused = api.get(base() + "/backups/" + hidden);
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.json().toString()).isEqualTo("{\"itemNotFound\":{\"code\":404,\"message\":\"Resource "
                    + hidden + " cannot be found.\"}}");
        }
        assertThat(api.get(base() + "/backups/" + foreign, AS_ADMIN).json().at("/backup/project_id").asText())
                .as("an admin sees any project's backup by id").isEqualTo(other);
    }

    @Test
    void listPagesNewestUpdatedFirstWithAnOffsetMarker() {
        List<String> newestFirst = new ArrayList<>();
        for (int hoursAgo = 1; hoursAgo <= 5; hoursAgo++) {
            newestFirst.add(new BackupRow(project).updated(TestData.nowUtc().minusHours(hoursAgo)).insert(jdbc));
        }
        new BackupRow(other).insert(jdbc);

        assertThat(ids(api.get(base() + "/backups"))).containsExactlyElementsOf(newestFirst);
        assertThat(api.get(base() + "/backups").json().has("links")).isFalse();

        Api.Response first = api.get(base() + "/backups?limit=2");
        assertThat(ids(first)).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(first.json().get("links").toString()).isEqualTo("[{\"href\":\"https://127.0.0.1:" + port
                + "/v1.0/" + project + "/backups?limit=2&marker=2\",\"rel\":\"next\"}]");
        Api.Response second = api.get(base() + "/backups?limit=2&marker=2");
        assertThat(ids(second)).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(second.json().at("/links/0/href").asText()).endsWith("/backups?limit=2&marker=4");
        Api.Response last = api.get(base() + "/backups?limit=2&marker=4");
        assertThat(ids(last)).containsExactly(newestFirst.get(4));
        assertThat(last.json().has("links")).isFalse();
        assertThat(ids(api.get(base() + "/backups?limit=0"))).as("0 is the page size").hasSize(5);
        assertThat(ids(api.get(base() + "/backups?marker=7"))).isEmpty();

        Api.Response badLimit = api.get(base() + "/backups?limit=two");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().at("/badRequest/message").asText())
                .isEqualTo("Invalid limit 'two': an integer is expected.");
        assertThat(api.get(base() + "/backups?marker=-1").status()).isEqualTo(400);
    }

    @Test
    void listFiltersByInstanceAndDatastoreNameOrId() {
        String instance = new InstanceRow(project).insert(jdbc);
        String ofInstance = new BackupRow(project).instance(instance).insert(jdbc);
        String postgres = new BackupRow(project).insert(jdbc);
        String mysql = new BackupRow(project).version(TestData.MYSQL80).insert(jdbc);
        String restored = new BackupRow(project).version(null).state("RESTORED").insert(jdbc);

        assertThat(ids(api.get(base() + "/backups?instance_id=" + instance))).containsExactly(ofInstance);
        assertThat(ids(api.get(base() + "/backups?datastore=postgresql"))).containsExactlyInAnyOrder(ofInstance,
                postgres);
        assertThat(ids(api.get(base() + "/backups?datastore=" + TestData.MYSQL))).containsExactly(mysql);
        assertThat(ids(api.get(base() + "/backups?instance_id=&datastore="))).as("blank filters are no filters")
                .containsExactlyInAnyOrder(ofInstance, postgres, mysql, restored);
        Api.Response unknown = api.get(base() + "/backups?datastore=nosuch");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/itemNotFound/message").asText()).isEqualTo("Datastore 'nosuch' cannot be found.");
    }

    @Test
    void otherProjectsAreListedOnlyForAdmins() {
        String instance = new InstanceRow(project).insert(jdbc);
        String mine = new BackupRow(project).instance(instance).insert(jdbc);
        String theirs = new BackupRow(other).instance(instance).insert(jdbc);

        Api.Response refused = api.get(base() + "/backups?project_id=" + other);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().toString()).isEqualTo("{\"forbidden\":{\"code\":403,\"message\":\"Policy doesn't "
                + "allow backup:index:all_projects to be performed.\"}}");
        assertThat(api.get(base() + "/backups?all_projects=true").status()).isEqualTo(403);
        assertThat(api.get(base() + "/backups?all_projects=false").status()).as("false is no request").isEqualTo(200);

        assertThat(ids(api.get(base() + "/backups?project_id=" + other, AS_ADMIN))).containsExactly(theirs);
        assertThat(ids(api.get(base() + "/backups?all_projects=1&instance_id=" + instance, AS_ADMIN)))
                .containsExactlyInAnyOrder(mine, theirs);
        assertThat(ids(api.get(base() + "/backups?instance_id=" + instance, AS_ADMIN)))
                .as("an admin's plain list is its own project's").containsExactly(mine);
    }

    @Test
    void anInstancesBackupsArePagedAndTheInstanceMustBeVisible() {
        String instance = new InstanceRow(project).insert(jdbc);
        String newer = new BackupRow(project).instance(instance).updated(TestData.nowUtc().minusMinutes(1))
                .insert(jdbc);
        String older = new BackupRow(project).instance(instance).updated(TestData.nowUtc().minusMinutes(2))
                .insert(jdbc);
        String byAdmin = new BackupRow(other).instance(instance).updated(TestData.nowUtc().minusMinutes(3))
                .insert(jdbc);
        new BackupRow(project).insert(jdbc);
        String path = base() + "/instances/" + instance + "/backups";

        assertThat(ids(api.get(path))).containsExactly(newer, older);
        Api.Response page = api.get(path + "?limit=1");
        assertThat(ids(page)).containsExactly(newer);
        assertThat(page.json().at("/links/0/href").asText()).isEqualTo("https://127.0.0.1:" + port + path
                + "?limit=1&marker=1");
        assertThat(ids(api.get(path + "?limit=1&marker=1"))).containsExactly(older);
        assertThat(ids(api.get(path, AS_ADMIN))).containsExactly(newer, older, byAdmin);

        String foreign = new InstanceRow(other).insert(jdbc);
        Api.Response hidden = api.get(base() + "/instances/" + foreign + "/backups");
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.json().at("/itemNotFound/message").asText()).isEqualTo("Resource " + foreign
                + " cannot be found.");
    }
}
