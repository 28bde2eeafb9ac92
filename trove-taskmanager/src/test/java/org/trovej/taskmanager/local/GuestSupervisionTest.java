package org.trovej.taskmanager.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.taskmanager.local.LocalCloud.await;
import static org.trovej.taskmanager.local.LocalCloud.row;

import java.nio.file.Files;
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
import org.trovej.taskmanager.compute.local.GuestSupervisor;
import org.trovej.taskmanager.compute.local.LocalComputeDriver;
import org.trovej.taskmanager.compute.local.LocalLayout;

/**
 * A guest agent killed with -9 on the local back end comes back by itself, HEALTHY, with the restart recorded as the
 * instance's fault; a guest powered off on purpose stays off. Real guest agent and PostgreSQL, real conductor.
 */
@SpringBootTest(classes = {TaskManagerApplication.class, ConductorApplication.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuestSupervisionTest {

    private static final LocalCloud CLOUD = new LocalCloud("supervision");
    private static final Duration WAIT = Duration.ofSeconds(120);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CLOUD.register(registry);
        registry.add("trovej.local.guest-supervision", () -> "1s");
    }

    @Autowired
    TaskManagerClient taskManager;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    InstanceKeyStore keys;
    @Autowired
    FlavorCatalog flavors;
    @Autowired
    LocalComputeDriver compute;
    @Autowired
    LocalLayout layout;
    @Autowired
    GuestSupervisor supervisor;

    private final RpcContext context = RpcContext.user("admin-1", "tenant-1", true);

    @AfterAll
    void powerEverythingOff() {
        compute.serverIds().forEach(compute::powerOff);
        CLOUD.deleteState();
    }

    @Test
    void aKilledGuestComesBackHealthyWithTheRestartRecordedAndAPoweredOffOneStaysOff() throws Exception {
        Flavor small = flavors.find("d1").orElseThrow();
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, LocalCloud.versionId(jdbc, "15"), small.id(), 1);
        taskManager.createInstance(context, CreateInstanceRequest.builder(id, "db-supervised", small, "postgresql")
                .volumeSize(1).dsVersion("15").build());
        await("the build", WAIT, () -> ((Number) row(jdbc, id).get("task_id")).intValue() != 5);
        assertThat(row(jdbc, id)).containsEntry("task_id", 1).containsEntry("status_description", "healthy");

        long killed = guestPid(id);
        ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
        long killedAt = System.nanoTime();
        await("a new guest agent", Duration.ofSeconds(30), () -> {
            long pid = guestPid(id);
            return pid != killed && LocalCloud.alive(pid);
        });
        // a heartbeat of the new guest: updated after the kill and healthy
        jdbc.update("UPDATE service_statuses SET status_description = 'restarting' WHERE instance_id = ?", id);
        await("the restarted guest's healthy heartbeat", Duration.ofSeconds(30),
                () -> "healthy".equals(row(jdbc, id).get("status_description")));
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        assertThat(seconds).as("HEALTHY again within 30 s of the kill").isLessThan(30);
        List<Map<String, Object>> faults = LocalCloud.faults(jdbc, id);
        assertThat(faults).hasSize(1);
        assertThat(faults.get(0).get("message")).isEqualTo("The guest agent stopped unexpectedly and was started again");
        assertThat((String) faults.get(0).get("details")).contains("exited with status 137")
                .contains("attempt 1 in a row");
        assertThat(row(jdbc, id)).containsEntry("task_id", 1).containsEntry("server_status", "ACTIVE");

        // powered off on purpose (as eject's fence does): the control plane still says ACTIVE, yet it stays off
        compute.powerOff(id);
        long off = System.nanoTime();
        while (System.nanoTime() - off < Duration.ofSeconds(4).toNanos()) {
            supervisor.check();
            Thread.sleep(250);
        }
        assertThat(compute.isRunning(id)).as("a powered-off guest is not restarted").isFalse();
        assertThat(LocalCloud.faults(jdbc, id)).hasSize(1);
        compute.powerOn(id);
        assertThat(compute.isRunning(id)).isTrue();
    }

    @Test
    void restartsBackOffFromOneSecondToAMinute() {
        assertThat(supervisor.backOff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(supervisor.backOff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(supervisor.backOff(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(supervisor.backOff(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(supervisor.backOff(500)).isEqualTo(Duration.ofSeconds(60));
    }

    private long guestPid(String id) {
        try {
            return Long.parseLong(Files.readString(layout.guestPid(id)).trim());
        } catch (Exception e) {
            return -1;
        }
    }
}
