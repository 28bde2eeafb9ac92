package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * PATCH {@code datastore_version} (troveclient's {@code instance upgrade}): task UPGRADING and the task manager's
 * {@code upgrade} cast with the version's id; the version recorded only by the task manager. Refusals change nothing.
 */
class InstanceUpgradeTest extends ApiIntegrationTest {

    private final String project = TestData.project();
    /** A datastore of this test's own: its versions appear in no other test's listings. */
    private String v14;
    private String v15;
    private String v16;
    private String inactive;

    private String path(String id) {
        return "/v1.0/" + project + "/instances/" + id;
    }

    private String version(String datastoreId, String name, String number, boolean active) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active) "
                + "VALUES (?, ?, ?, ?, 'postgresql', ?)", id, datastoreId, name, number, active);
        return id;
    }

    @BeforeEach
    void datastore() {
        String datastore = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO datastores (id, name) VALUES (?, ?)", datastore, "pg-" + datastore.substring(0, 8));
        v14 = version(datastore, "14", "14.19", true);
        v15 = version(datastore, "15", "15.20", true);
        v16 = version(datastore, "16", "16.4", true);
        inactive = version(datastore, "17", "17.2", false);
    }

    private Object task(String id) {
        return jdbc.queryForObject("SELECT task_id FROM instances WHERE id = ?", Integer.class, id);
    }

    private Object versionOf(String id) {
        return jdbc.queryForObject("SELECT datastore_version_id FROM instances WHERE id = ?", String.class, id);
    }

    @Test
    void anUpgradeSetsUpgradingAndCastsTheVersionsId() {
        String id = new InstanceRow(project).version(v15).insert(jdbc);

        Api.Response response = api.patch(path(id), "{\"instance\": {\"datastore_version\": \"16\"}}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(task(id)).isEqualTo(0x59);
        assertThat(versionOf(id)).as("recorded once the instance runs it").isEqualTo(v15);
        assertThat(casts.await("upgrade", id).args().toString())
                .isEqualTo("{\"instance_id\":\"" + id + "\",\"datastore_version_id\":\"" + v16 + "\"}");
        assertThat(api.get(path(id)).json().at("/instance/status").asText()).isEqualTo("UPGRADE");

        Api.Response again = api.patch(path(id), "{\"instance\": {\"datastore_version\": \"16\"}}");
        assertThat(again.status()).as(again.body()).isEqualTo(422);
    }

    @Test
    void theSameVersionIsARestartOnItsProgramsAsInTrove() {
        String id = new InstanceRow(project).version(v15).insert(jdbc);

        assertThat(api.patch(path(id), "{\"instance\": {\"datastore_version\": \"" + v15 + "\"}}").status())
                .isEqualTo(202);
        assertThat(casts.await("upgrade", id).args().path("datastore_version_id").asText()).isEqualTo(v15);
    }

    @Test
    void refusedUpgradesChangeNothing() {
        String id = new InstanceRow(project).version(v15).insert(jdbc);

        Api.Response unknown = api.patch(path(id), "{\"instance\": {\"datastore_version\": \"9.9\"}}");
        // Trove's quirk for a version named that does not exist: 400 (see FlavorAndDatastoreViewsTest)
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/badRequest/message").asText())
                .isEqualTo("Datastore version '9.9' cannot be found.");
        Api.Response otherDatastore = api.patch(path(id), "{\"instance\": {\"datastore_version\": \""
                + TestData.MYSQL80 + "\"}}");
        assertThat(otherDatastore.status()).isEqualTo(404);
        Api.Response older = api.patch(path(id), "{\"instance\": {\"datastore_version\": \"14\"}}");
        assertThat(older.status()).isEqualTo(400);
        assertThat(older.json().at("/badRequest/message").asText()).isEqualTo("Cannot upgrade instance " + id
                + " from datastore version '15' (15.20) to the older '14' (14.19).");
        Api.Response notActive = api.patch(path(id), "{\"instance\": {\"datastore_version\": \"17\"}}");
        assertThat(notActive.status()).isEqualTo(400);
        assertThat(notActive.json().at("/badRequest/message").asText())
                .isEqualTo("Datastore version '17' is not active.");
        Api.Response empty = api.patch(path(id), "{\"instance\": {\"datastore_version\": \"\"}}");
        assertThat(empty.status()).isEqualTo(400);

        String building = new InstanceRow(project).version(v15).task(0x05).server("BUILD").service(0x17, "new")
                .insert(jdbc);
        assertThat(api.patch(path(building), "{\"instance\": {\"datastore_version\": \"16\"}}").status())
                .isEqualTo(422);

        assertThat(task(id)).isEqualTo(0x01);
        assertThat(versionOf(id)).isEqualTo(v15);
        assertThat(casts.settled(c -> id.equals(c.instanceId()) || building.equals(c.instanceId()))).isEmpty();
        assertThat(inactive).isNotNull();
    }
}
