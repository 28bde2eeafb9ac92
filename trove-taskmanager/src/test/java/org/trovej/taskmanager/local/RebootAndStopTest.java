package org.trovej.taskmanager.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.taskmanager.local.LocalCloud.await;
import static org.trovej.taskmanager.local.LocalCloud.row;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
import org.trovej.common.guest.GuestSchema;
import org.trovej.common.guest.GuestUser;
import org.trovej.conductor.ConductorApplication;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.service.taskmanager.TaskManagerClient;
import org.trovej.taskmanager.TaskManagerApplication;
import org.trovej.taskmanager.compute.local.LocalComputeDriver;
import org.trovej.taskmanager.compute.local.LocalLayout;

/**
 * The management API's {@code stop} and {@code reboot} end to end: casts through {@link TaskManagerClient}, a real
 * guest agent and PostgreSQL, heartbeats through a real conductor.
 */
@SpringBootTest(classes = {TaskManagerApplication.class, ConductorApplication.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebootAndStopTest {

    private static final LocalCloud CLOUD = new LocalCloud("reboot");
    private static final Duration WAIT = Duration.ofSeconds(120);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CLOUD.register(registry);
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

    private final RpcContext context = RpcContext.user("admin-1", "tenant-1", true);

    @AfterAll
    void powerEverythingOff() {
        compute.serverIds().forEach(compute::powerOff);
        CLOUD.deleteState();
    }

    @Test
    void stopShutsTheDatabaseDownAndRebootBringsTheServerAndTheDatabaseBack() throws Exception {
        Flavor small = flavors.find("d1").orElseThrow();
        String versionId = LocalCloud.versionId(jdbc, "15");
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, versionId, small.id(), 1);
        String password = "Reboot-pw-4711";
        taskManager.createInstance(context, CreateInstanceRequest.builder(id, "db-reboot", small, "postgresql")
                .databases(List.of(GuestSchema.named("appdb")))
                .users(List.of(GuestUser.withAccess("app", password, "%", List.of("appdb"))))
                .volumeSize(1)
                .dsVersion("15")
                .build());
        await("the build", WAIT, () -> ((Number) row(jdbc, id).get("task_id")).intValue() != 5);
        assertThat(row(jdbc, id)).containsEntry("task_id", 1).containsEntry("status_description", "healthy");
        String address = (String) row(jdbc, id).get("address");
        try (Connection c = LocalCloud.connect(address, "appdb", "app", password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('before reboot')");
        }

        // stop: the database goes down, the task is untouched. The guest reports "shutdown" before it answers
        // the call, so the stop_db flow closes a moment after that status is visible (docs/architecture.md,
        // "what a status means"): a stop is done when both are true.
        taskManager.stopDatabase(context, id);
        await("the database to stop and the stop_db flow to close", WAIT, () -> {
            Map<String, Object> r = row(jdbc, id);
            return "shutdown".equals(r.get("status_description")) && r.get("flow_name") == null;
        });
        assertThat(row(jdbc, id)).containsEntry("task_id", 1).containsEntry("flow_name", null);
        assertThat(LocalCloud.faults(jdbc, id)).isEmpty();

        // reboot: the API sets REBOOTING and "restarting" first
        long guestPid = Long.parseLong(Files.readString(layout.guestPid(id)).trim());
        jdbc.update("UPDATE instances SET task_id = 3, task_description = 'Rebooting' WHERE id = ?", id);
        jdbc.update("UPDATE service_statuses SET status_id = 34, status_description = 'restarting' "
                + "WHERE instance_id = ?", id);
        taskManager.reboot(context, id);
        await("the reboot", WAIT, () -> {
            Map<String, Object> r = row(jdbc, id);
            return Integer.valueOf(1).equals(r.get("task_id")) && "healthy".equals(r.get("status_description"))
                    && r.get("flow_name") == null;
        });
        assertThat(LocalCloud.faults(jdbc, id)).isEmpty();
        assertThat(row(jdbc, id)).containsEntry("server_status", "ACTIVE");
        long newGuestPid = Long.parseLong(Files.readString(layout.guestPid(id)).trim());
        assertThat(newGuestPid).as("the server was rebooted: a new guest process").isNotEqualTo(guestPid);
        try (Connection c = LocalCloud.connect(address, "appdb", "app", password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("before reboot");
        }
    }
}
