package org.trovej.taskmanager.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.conductor.ConductorApplication;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.service.taskmanager.TaskManagerClient;
import org.trovej.taskmanager.TaskManagerApplication;

/**
 * Flows whose guest does not answer; nothing stays half-done and the flow is closed. The one-call flows: restart ends
 * with task NONE and a fault naming the cause (as Trove resets the task), the management stop leaves the task alone
 * and records its fault. Replication: a replica of a silent source fails in seconds with Trove's replica error, no
 * server and no seed left behind (deletable after a reset); a promote whose source does not answer leaves the set as
 * it was; an eject that cannot fence its source promotes nothing.
 */
@SpringBootTest(classes = {TaskManagerApplication.class, ConductorApplication.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuestCallFailureTest {

    private static final LocalCloud CLOUD = new LocalCloud("guestcall");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CLOUD.register(registry);
        registry.add("trovej.guest.timeouts.low", () -> "2s");
        registry.add("trovej.guest.timeouts.high", () -> "2s");
    }

    @Autowired
    TaskManagerClient taskManager;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    InstanceKeyStore keys;
    @Autowired
    FlavorCatalog flavors;

    @AfterAll
    void cleanUp() {
        CLOUD.deleteState();
    }

    /** An instance whose guest never answers: the row as the API leaves it, no server behind it. */
    private String silentInstance(int task) {
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, LocalCloud.versionId(jdbc, "15"),
                flavors.find("d1").orElseThrow().id(), 1);
        jdbc.update("UPDATE instances SET task_id = ?, server_status = 'ACTIVE' WHERE id = ?", task, id);
        return id;
    }

    @Test
    void aRestartTheGuestDoesNotAnswerEndsWithTaskNoneAndAFault() throws Exception {
        String id = silentInstance(3); // REBOOTING, as the API sets it
        taskManager.restart(RpcContext.user("user-1", "tenant-1", false), id);
        LocalCloud.await("the restart to give up", Duration.ofSeconds(60),
                () -> !LocalCloud.faults(jdbc, id).isEmpty());
        Map<String, Object> row = LocalCloud.row(jdbc, id);
        assertThat(row).containsEntry("task_id", 1).containsEntry("flow_name", null);
        List<Map<String, Object>> faults = LocalCloud.faults(jdbc, id);
        assertThat((String) faults.get(0).get("message")).startsWith("The database could not be restarted: ");
    }

    @Test
    void aStopTheGuestDoesNotAnswerLeavesTheTaskAndRecordsAFault() throws Exception {
        String id = silentInstance(1); // NONE
        taskManager.stopDatabase(RpcContext.user("admin", "tenant-1", true), id);
        LocalCloud.await("the stop to give up", Duration.ofSeconds(60),
                () -> !LocalCloud.faults(jdbc, id).isEmpty());
        Map<String, Object> row = LocalCloud.row(jdbc, id);
        assertThat(row).containsEntry("task_id", 1).containsEntry("flow_name", null);
        assertThat((String) LocalCloud.faults(jdbc, id).get(0).get("message"))
                .startsWith("The database could not be stopped: ");
    }

    private String replicaOf(String source, int task) {
        String replica = silentInstance(task);
        jdbc.update("UPDATE instances SET slave_of_id = ? WHERE id = ?", source, replica);
        return replica;
    }

    private int task(String id) {
        return (Integer) LocalCloud.row(jdbc, id).get("task_id");
    }

    @Test
    void aReplicaOfASilentSourceFailsFastWithNoServerAndNoSeedLeft() throws Exception {
        String source = silentInstance(1);
        String replica = LocalCloud.insertBuildingInstance(jdbc, keys, LocalCloud.versionId(jdbc, "15"),
                flavors.find("d1").orElseThrow().id(), 1);
        jdbc.update("UPDATE instances SET slave_of_id = ? WHERE id = ?", source, replica);
        Flavor flavor = flavors.find("d1").orElseThrow();
        long started = System.nanoTime();

        taskManager.createInstance(RpcContext.user("user-1", "tenant-1", false),
                CreateInstanceRequest.builder(replica, "replica", flavor, "postgresql").volumeSize(1)
                        .slaveOfId(source).build());

        LocalCloud.await("the replica's build to fail", Duration.ofSeconds(60),
                () -> !LocalCloud.faults(jdbc, replica).isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        Map<String, Object> row = LocalCloud.row(jdbc, replica);
        assertThat(row).containsEntry("task_id", 0x54).containsEntry("server_status", "ERROR")
                .containsEntry("flow_name", null).containsEntry("compute_instance_id", null);
        assertThat((String) LocalCloud.faults(jdbc, replica).get(0).get("message"))
                .startsWith("The replica could not be seeded: No snapshot of the replica source " + source);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM backups WHERE instance_id = ? AND deleted = false",
                Integer.class, source)).as("no seed backup left").isZero();
    }

    @Test
    void aPromoteWhoseSourceDoesNotAnswerLeavesTheSetAsItWas() throws Exception {
        String source = silentInstance(8);
        String replica = replicaOf(source, 8);
        String sibling = replicaOf(source, 8);

        taskManager.promoteToReplicaSource(RpcContext.user("user-1", "tenant-1", false), replica);

        LocalCloud.await("the promote to give up", Duration.ofSeconds(60),
                () -> !LocalCloud.faults(jdbc, replica).isEmpty());
        assertThat(List.of(task(source), task(replica), task(sibling))).containsOnly(1);
        assertThat(LocalCloud.row(jdbc, replica)).containsEntry("slave_of_id", source).containsEntry("flow_name", null);
        assertThat(LocalCloud.row(jdbc, sibling)).containsEntry("slave_of_id", source);
        assertThat((String) LocalCloud.faults(jdbc, replica).get(0).get("message"))
                .startsWith("The replica could not be promoted (the replication set is unchanged): ");
    }

    @Test
    void anEjectThatCannotFenceItsSourcePromotesNothing() throws Exception {
        String source = silentInstance(9);
        String replica = replicaOf(source, 9);

        taskManager.ejectReplicaSource(RpcContext.user("user-1", "tenant-1", false), source);

        LocalCloud.await("the eject to give up", Duration.ofSeconds(60),
                () -> !LocalCloud.faults(jdbc, source).isEmpty());
        assertThat(List.of(task(source), task(replica))).containsOnly(1);
        assertThat(LocalCloud.row(jdbc, replica)).containsEntry("slave_of_id", source);
        assertThat((String) LocalCloud.faults(jdbc, source).get(0).get("message"))
                .startsWith("The source could not be ejected (the replication set is unchanged): ")
                .contains("no server");
    }
}
