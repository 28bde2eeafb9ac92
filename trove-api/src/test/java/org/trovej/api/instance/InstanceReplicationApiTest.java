package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.CastRecorder;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * Replication through the API: a replica's create (its source's flavor, version and volume; Trove's refusals),
 * promote, eject and detach — what each checks, records before its cast, and casts.
 */
class InstanceReplicationApiTest extends ApiIntegrationTest {

    private final String project = TestData.project();

    private String instances() {
        return "/v1.0/" + project + "/instances";
    }

    private String path(String id) {
        return instances() + "/" + id;
    }

    private int task(String id) {
        return jdbc.queryForObject("SELECT task_id FROM instances WHERE id = ?", Integer.class, id);
    }

    private String replicaOf(String source) {
        String replica = new InstanceRow(project).insert(jdbc);
        jdbc.update("UPDATE instances SET slave_of_id = ? WHERE id = ?", source, replica);
        return replica;
    }

    @Test
    void aReplicaTakesItsSourcesFlavorVersionAndVolumeAndIsCastWithItsSource() {
        String source = new InstanceRow(project).flavor("3").volume(5).insert(jdbc);

        Api.Response response = api.post(instances(), "{\"instance\": {\"name\": \"r\", \"replica_of\": \"" + source
                + "\"}}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode instance = response.json().get("instance");
        String id = instance.get("id").asText();
        assertThat(instance.at("/flavor/id").asText()).isEqualTo("3");
        assertThat(instance.at("/volume/size").asInt()).isEqualTo(5);
        assertThat(instance.at("/replica_of/id").asText()).isEqualTo(source);
        assertThat(instance.at("/datastore/version").asText()).isEqualTo("16");
        CastRecorder.Cast cast = casts.await("create_instance", id);
        assertThat(cast.args().get("slave_of_id").asText()).isEqualTo(source);
        assertThat(cast.args().at("/flavor/id").asText()).isEqualTo("3");
        assertThat(cast.args().get("volume_size").asInt()).isEqualTo(5);
        JsonNode shown = api.get(path(source)).json().get("instance");
        assertThat(shown.at("/replicas/0/id").asText()).isEqualTo(id);
    }

    @Test
    void replicaCountCreatesThatManyNumberedReplicasEachCastAndCounted() {
        String source = new InstanceRow(project).insert(jdbc);
        // another replica's seed is being taken: a running backup does not stop a replica
        jdbc.update("INSERT INTO backups (id, name, state, instance_id, tenant_id, created, updated, deleted) "
                + "VALUES (?, 'seed', 'BUILDING', ?, ?, now(), now(), false)", UUID.randomUUID().toString(),
                source, project);

        Api.Response response = api.post(instances(), "{\"instance\": {\"name\": \"rr\", \"replica_of\": \"" + source
                + "\", \"replica_count\": 2}}");

        assertThat(response.status()).isEqualTo(200);
        List<Map<String, Object>> replicas = jdbc.queryForList("SELECT id, name FROM instances WHERE slave_of_id = ? "
                + "ORDER BY name", source);
        assertThat(replicas).extracting(r -> r.get("name")).containsExactly("rr-1", "rr-2");
        assertThat(response.json().at("/instance/name").asText()).isEqualTo("rr-2");
        replicas.forEach(r -> assertThat(casts.await("create_instance", (String) r.get("id")).args()
                .get("slave_of_id").asText()).isEqualTo(source));
        assertThat(jdbc.queryForObject("SELECT in_use FROM quota_usages WHERE tenant_id = ? AND resource = "
                + "'instances'", Integer.class, project)).isEqualTo(2);
    }

    @Test
    void replicasAreRefusedAsTroveRefusesThemWithNothingWritten() {
        String source = new InstanceRow(project).insert(jdbc);
        String replica = replicaOf(source);
        String building = new InstanceRow(project).task(0x05).server("BUILD").service(0x17, "new").insert(jdbc);

        Api.Response ofReplica = api.post(instances(), "{\"instance\": {\"name\": \"x\", \"replica_of\": \""
                + replica + "\"}}");
        Api.Response withDatabases = api.post(instances(), "{\"instance\": {\"name\": \"x\", \"replica_of\": \""
                + source + "\", \"databases\": [{\"name\": \"d\"}]}}");
        Api.Response withDatastore = api.post(instances(), "{\"instance\": {\"name\": \"x\", \"replica_of\": \""
                + source + "\", \"datastore\": {\"type\": \"postgresql\"}}}");
        Api.Response ofBuilding = api.post(instances(), "{\"instance\": {\"name\": \"x\", \"replica_of\": \""
                + building + "\"}}");
        Api.Response ofUnknown = api.post(instances(), "{\"instance\": {\"name\": \"x\", \"replica_of\": \""
                + UUID.randomUUID() + "\"}}");

        assertThat(ofReplica.status()).isEqualTo(401);
        assertThat(ofReplica.json().at("/unauthorized/message").asText())
                .isEqualTo("Cannot create a replica of a replica " + replica);
        assertThat(withDatabases.json().at("/badRequest/message").asText())
                .isEqualTo("Cannot create a replica with users or databases.");
        assertThat(withDatastore.json().at("/badRequest/message").asText())
                .isEqualTo("Cannot specify datastore when creating replicas.");
        assertThat(ofBuilding.status()).isEqualTo(422);
        assertThat(ofUnknown.status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM instances WHERE name = 'x'", Integer.class)).isZero();
    }

    @Test
    void promoteSetsPromotingOnTheWholeSetAndCasts() {
        String source = new InstanceRow(project).insert(jdbc);
        String replica = replicaOf(source);
        String sibling = replicaOf(source);

        Api.Response notReplica = api.post(path(source) + "/action", "{\"promote_to_replica_source\": {}}");
        Api.Response promoted = api.post(path(replica) + "/action", "{\"promote_to_replica_source\": {}}");

        assertThat(notReplica.status()).isEqualTo(400);
        assertThat(notReplica.json().at("/badRequest/message").asText())
                .isEqualTo("Instance " + source + " is not a replica.");
        assertThat(promoted.status()).isEqualTo(202);
        assertThat(List.of(task(source), task(replica), task(sibling))).containsOnly(0x08);
        assertThat(casts.await("promote_to_replica_source", replica).args().toString())
                .isEqualTo("{\"instance_id\":\"" + replica + "\"}");
        assertThat(api.get(path(replica)).json().at("/instance/status").asText()).isEqualTo("PROMOTE");
        Api.Response again = api.post(path(sibling) + "/action", "{\"promote_to_replica_source\": {}}");
        assertThat(again.status()).as("the set is busy").isEqualTo(422);
    }

    @Test
    void ejectNeedsReplicasAndASourceThatIsSilentOrDown() {
        String healthy = new InstanceRow(project).insert(jdbc);
        replicaOf(healthy);
        String lonely = new InstanceRow(project).insert(jdbc);
        String silent = new InstanceRow(project).heartbeat(TestData.nowUtc().minusMinutes(5)).insert(jdbc);
        String replica = replicaOf(silent);
        String down = new InstanceRow(project).service(0x04, "shutdown").insert(jdbc);
        replicaOf(down);

        Api.Response noReplicas = api.post(path(lonely) + "/action", "{\"eject_replica_source\": {}}");
        Api.Response current = api.post(path(healthy) + "/action", "{\"eject_replica_source\": {}}");
        Api.Response ejected = api.post(path(silent) + "/action", "{\"eject_replica_source\": {}}");
        Api.Response ejectedDown = api.post(path(down) + "/action", "{\"eject_replica_source\": {}}");

        assertThat(noReplicas.json().at("/badRequest/message").asText())
                .isEqualTo("Instance " + lonely + " is not a replica source.");
        assertThat(current.status()).isEqualTo(400);
        assertThat(current.json().at("/badRequest/message").asText())
                .isEqualTo("Replica Source " + healthy + " cannot be ejected as it has a current heartbeat");
        assertThat(task(healthy)).isEqualTo(0x01);
        assertThat(ejected.status()).isEqualTo(202);
        assertThat(List.of(task(silent), task(replica))).containsOnly(0x09);
        casts.await("eject_replica_source", silent);
        assertThat(ejectedDown.status()).isEqualTo(202);
        casts.await("eject_replica_source", down);
    }

    @Test
    void detachTakesAnyReplicaOfValueSetsDetachingAndCasts() {
        String source = new InstanceRow(project).insert(jdbc);
        String replica = replicaOf(source);

        Api.Response detached = api.put(path(replica), "{\"instance\": {\"replica_of\": \"\"}}");

        assertThat(detached.status()).isEqualTo(202);
        assertThat(task(replica)).isEqualTo(0x0b);
        assertThat(casts.await("detach_replica", replica).args().toString())
                .isEqualTo("{\"instance_id\":\"" + replica + "\"}");
        assertThat(api.delete(path(source)).status()).as("the source still has its replica until the detach ends")
                .isEqualTo(403);
    }

    @Test
    void growingASourcesVolumeGrowsItsReplicasToo() {
        String source = new InstanceRow(project).volume(2).insert(jdbc);
        String replica = replicaOf(source);
        String busy = new InstanceRow(project).insert(jdbc);
        String busyReplica = replicaOf(busy);
        jdbc.update("UPDATE instances SET task_id = 8 WHERE id = ?", busyReplica);

        Api.Response grown = api.post(path(source) + "/action", "{\"resize\": {\"volume\": {\"size\": 3}}}");
        Api.Response refused = api.post(path(busy) + "/action", "{\"resize\": {\"volume\": {\"size\": 3}}}");

        assertThat(grown.status()).isEqualTo(202);
        assertThat(List.of(task(source), task(replica))).containsOnly(0x04);
        assertThat(casts.await("resize_volume", replica).args().get("new_size").asInt()).isEqualTo(3);
        casts.await("resize_volume", source);
        assertThat(refused.status()).as("a replica in another task").isEqualTo(422);
        assertThat(task(busy)).isEqualTo(0x01);
    }

    /** tempest's force-delete of a replica whose build failed before it had a server: reset, then delete. */
    @Test
    void aReplicaWhoseSeedFailedCanBeResetAndDeletedAndThenItsSourceToo() {
        String source = new InstanceRow(project).insert(jdbc);
        String replica = new InstanceRow(project).task(0x54).server("ERROR").service(0x17, "new").insert(jdbc);
        jdbc.update("UPDATE instances SET slave_of_id = ? WHERE id = ?", source, replica);

        assertThat(api.get(path(replica)).json().at("/instance/status").asText()).isEqualTo("ERROR");
        assertThat(api.post(path(replica) + "/action", "{\"reset_status\": {\"force_delete\": true}}").status())
                .isEqualTo(202);
        assertThat(api.delete(path(replica)).status()).isEqualTo(202);
        casts.await("delete_instance", replica);
        jdbc.update("UPDATE instances SET deleted = true WHERE id = ?", replica); // as the task manager ends it
        assertThat(api.delete(path(source)).status()).isEqualTo(202);
    }
}
