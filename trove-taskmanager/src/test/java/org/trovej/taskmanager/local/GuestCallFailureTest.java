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
import org.trovej.common.rpc.RpcContext;
import org.trovej.conductor.ConductorApplication;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.service.taskmanager.TaskManagerClient;
import org.trovej.taskmanager.TaskManagerApplication;

/**
 * The one-call flows when the guest does not answer: restart ends with task NONE and a fault naming the cause
 * (as Trove resets the task), the management stop leaves the task alone and records its fault. Nothing stays
 * half-done and the flow is closed.
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
}
