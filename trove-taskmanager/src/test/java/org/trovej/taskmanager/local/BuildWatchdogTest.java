package org.trovej.taskmanager.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.taskmanager.local.LocalCloud.await;
import static org.trovej.taskmanager.local.LocalCloud.row;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.conductor.ConductorApplication;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.service.taskmanager.TaskManagerClient;
import org.trovej.taskmanager.TaskManagerApplication;
import org.trovej.taskmanager.compute.local.LocalComputeDriver;
import org.trovej.taskmanager.compute.local.LocalLayout;

/** Builds that never hear from their guest end in ERROR with a fault, never stuck in BUILD. */
@SpringBootTest(classes = {TaskManagerApplication.class, ConductorApplication.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildWatchdogTest {

    private static final LocalCloud CLOUD = new LocalCloud("watchdog");
    private static final Path SILENT_JAR = SilentGuest.jar(CLOUD.stateDir.resolve("silent-guest.jar"));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CLOUD.register(registry);
        registry.add("trovej.local.guest-agent-jar", SILENT_JAR::toString);
        // the silent guest is no agent: a class-data-sharing warm-up of it would never end (it sleeps forever)
        registry.add("trovej.local.class-data-sharing", () -> "false");
        registry.add("trovej.taskmanager.build-timeout", () -> "6s");
        // supervision on: a guest that dies during its build fails the build, it is not started again
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

    @AfterAll
    void powerEverythingOff() {
        compute.serverIds().forEach(compute::powerOff);
        CLOUD.deleteState();
    }

    @Test
    void aGuestThatNeverHeartbeatsTimesOut() throws Exception {
        String id = create();
        await("the build to end", Duration.ofSeconds(30), () -> ((Number) row(jdbc, id).get("task_id")).intValue() != 5);
        Map<String, Object> r = row(jdbc, id);
        assertThat(r).containsEntry("task_id", 0x5b).containsEntry("status_description", "guestagent error")
                .containsEntry("server_status", "ACTIVE").containsEntry("flow_name", null);
        assertThat(LocalCloud.faults(jdbc, id)).singleElement().satisfies(f -> {
            assertThat((String) f.get("message")).contains("Build timed out").contains("step awaiting_guest")
                    .contains("guest status: new");
            assertThat((String) f.get("details")).startsWith("Server type: taskmanager")
                    .contains("silent guest: started");
        });
    }

    @Test
    void aGuestProcessThatDiesEndsTheBuildAtOnce() throws Exception {
        String id = create();
        await("the prepare cast", Duration.ofSeconds(10), () -> "awaiting_guest".equals(row(jdbc, id).get("flow_step")));
        long pid = Long.parseLong(Files.readString(layout.guestPid(id)).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);

        await("the build to end", Duration.ofSeconds(5), () -> ((Number) row(jdbc, id).get("task_id")).intValue() != 5);
        assertThat(row(jdbc, id)).containsEntry("task_id", 0x5b).containsEntry("server_status", "SHUTDOWN");
        Thread.sleep(2500); // more than two supervision rounds: nothing starts the failed build's guest again
        assertThat(compute.isRunning(id)).isFalse();
        assertThat(LocalCloud.faults(jdbc, id)).singleElement().satisfies(f ->
                assertThat((String) f.get("message")).contains("The server stopped")
                        .contains("exited with status 137"));
    }

    @Test
    void aBuildWhoseRequestNeverArrivedTimesOut() throws Exception {
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, LocalCloud.versionId(jdbc, "15"), "d1", 1);
        jdbc.update("UPDATE instances SET created = created - interval '1 minute' WHERE id = ?", id);

        await("the watchdog", Duration.ofSeconds(10), () -> ((Number) row(jdbc, id).get("task_id")).intValue() != 5);
        assertThat(row(jdbc, id)).containsEntry("task_id", 0x5b).containsEntry("status_description", "guestagent error");
        assertThat(LocalCloud.faults(jdbc, id)).singleElement().satisfies(f ->
                assertThat((String) f.get("message")).contains("no build was started"));
    }

    /** Every guest is told the one backup key, made once in the state directory and readable by its owner only. */
    @Test
    void theGuestIsToldTheBackupKeyKeptInTheStateDirectory() throws Exception {
        String id = create();
        await("the prepare cast", Duration.ofSeconds(10), () -> "awaiting_guest".equals(row(jdbc, id).get("flow_step")));
        Path keyFile = layout.stateDir().resolve("backup-encryption-key");
        String key = Files.readString(keyFile).trim();
        assertThat(key).hasSize(43);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(layout.guestAgentConf(id))).contains("\nbackup_encryption_key = " + key + "\n");
        assertThat(Files.readString(layout.guestLog(id))).doesNotContain(key);
    }

    private String create() {
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, LocalCloud.versionId(jdbc, "15"), "d1", 1);
        taskManager.createInstance(RpcContext.user("user-1", "tenant-1", false),
                CreateInstanceRequest.builder(id, "silent", flavors.find("d1").orElseThrow(), "postgresql")
                        .volumeSize(1).users(List.of()).build());
        return id;
    }
}
