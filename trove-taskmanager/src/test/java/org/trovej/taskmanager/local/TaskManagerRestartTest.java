package org.trovej.taskmanager.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.taskmanager.local.LocalCloud.await;
import static org.trovej.taskmanager.local.LocalCloud.row;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
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
import org.trovej.taskmanager.rpc.TaskManagerServer;
import org.trovej.testsupport.TestInfrastructure;

/**
 * The task manager going down and up again (trovej down/up, or a crash) while flows are in flight: a flow
 * interrupted mid-step resumes from its stored step when its message comes back, a flow held by a task
 * manager that died is taken over once its lease runs out, one whose message is lost is resumed from the
 * database, and a build that cannot be resumed times out.
 */
class TaskManagerRestartTest {

    private static final Logger log = LoggerFactory.getLogger(TaskManagerRestartTest.class);
    private static final LocalCloud CLOUD = new LocalCloud("restart");
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final String PASSWORD = "Another-Secret-0815";

    private ConfigurableApplicationContext current;
    private final RpcContext context = RpcContext.user("user-1", "tenant-1", false);

    @AfterEach
    void stopTaskManager() {
        if (current != null) {
            current.close(); // powers every guest off
            current = null;
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void removeState() {
        CLOUD.deleteState();
    }

    private ConfigurableApplicationContext startTaskManager() {
        Map<String, Object> properties = new HashMap<>(CLOUD.properties());
        properties.put("trovej.taskmanager.flow-lease", "3s");
        properties.put("trovej.taskmanager.recovery-grace", "1s");
        properties.put("trovej.local.stop-timeout", "3s");
        properties.put("spring.main.banner-mode", "off");
        // as arguments: default properties would lose to the services' own defaults
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        current = new SpringApplicationBuilder(TaskManagerApplication.class, ConductorApplication.class)
                .web(WebApplicationType.NONE).run(args);
        return current;
    }

    @Test
    void flowsResumeOrTimeOutAcrossTaskManagerRestarts() throws Exception {
        ConfigurableApplicationContext first = startTaskManager();
        // the test's own connection: the task managers' pools close with them
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(CLOUD.jdbcUrl,
                TestInfrastructure.get().dbUser(), TestInfrastructure.get().dbPassword()));
        InstanceKeyStore keys = first.getBean(InstanceKeyStore.class);
        Flavor flavor = first.getBean(FlavorCatalog.class).find("d1").orElseThrow();
        String versionId = LocalCloud.versionId(jdbc, "15");
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, versionId, flavor.id(), 1);
        first.getBean(TaskManagerClient.class).createInstance(context, request(id, flavor));
        awaitHealthy(jdbc, id);
        String address = (String) row(jdbc, id).get("address");
        try (Connection c = LocalCloud.connect(address, "appdb", "app", PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept AS SELECT 'survives' AS v");
        }

        // 1. restart in flight when the task manager stops: the flow gives the instance up at its step ...
        jdbc.update("UPDATE instances SET task_id = 3, task_description = 'Restarting' WHERE id = ?", id);
        jdbc.update("UPDATE service_statuses SET status_id = 34, status_description = 'restarting' "
                + "WHERE instance_id = ?", id);
        // the guest is frozen so that the restart is still in flight, deterministically, when the task manager stops
        long guestPid = Long.parseLong(java.nio.file.Files.readString(
                CLOUD.stateDir.resolve("instances").resolve(id).resolve("guest.pid")).trim());
        signal("STOP", guestPid);
        first.getBean(TaskManagerClient.class).restart(context, id);
        await("the restart to be under way", Duration.ofSeconds(10),
                () -> "restart".equals(row(jdbc, id).get("flow_step")));
        Thread.sleep(300);
        first.close(); // the frozen guest ignores SIGTERM: it is killed after the (shortened) stop timeout
        current = null;
        Map<String, Object> interrupted = row(jdbc, id);
        assertThat(interrupted).as("left mid-flow").containsEntry("flow_name", "restart").containsEntry("task_id", 3);
        assertThat(poweredOn(id)).as("powered off with the task manager").isFalse();

        // ... and the next task manager powers the server on and finishes the restart from the redelivered message
        long start = System.nanoTime();
        ConfigurableApplicationContext second = startTaskManager();
        awaitHealthy(jdbc, id);
        log.info("TIMING task manager up -> interrupted restart finished, healthy: {} ms",
                (System.nanoTime() - start) / 1_000_000);
        assertThat(second.getBean(TaskManagerServer.class).rpcServer().handledCount()).isGreaterThanOrEqualTo(1);
        assertThat(LocalCloud.faults(jdbc, id)).isEmpty();
        // The frozen guest had taken the first restart call and died with it unacknowledged: the broker hands it
        // to the new guest too (at-least-once, as with Trove), which may restart the database once more.
        assertThat(queryWithin(address, "SELECT v FROM kept", Duration.ofSeconds(30))).isEqualTo("survives");

        // 2. a restart whose task manager died and whose message is lost: resumed from the database
        jdbc.update("""
                UPDATE instances SET task_id = 3, flow_name = 'restart', flow_step = 'restart', flow_data = '{}',
                       flow_owner = 'crashed-taskmanager', flow_lease_until = timezone('UTC', now()) - interval '1 minute'
                 WHERE id = ?""", id);
        await("the orphaned restart to be resumed", LONG, () -> {
            Map<String, Object> r = row(jdbc, id);
            return r.get("flow_name") == null && Integer.valueOf(1).equals(r.get("task_id"));
        });

        // 3. a build held by a task manager that died: taken over when its lease runs out
        String second1 = LocalCloud.insertBuildingInstance(jdbc, keys, versionId, flavor.id(), 1);
        jdbc.update("""
                UPDATE instances SET flow_name = 'create', flow_step = 'check_request', flow_data = '{}',
                       flow_started = timezone('UTC', now()),
                       flow_deadline = timezone('UTC', now()) + interval '10 minutes',
                       flow_owner = 'crashed-taskmanager', flow_lease_until = timezone('UTC', now()) + interval '3 seconds'
                 WHERE id = ?""", second1);
        start = System.nanoTime();
        second.getBean(TaskManagerClient.class).createInstance(context, request(second1, flavor));
        awaitHealthy(jdbc, second1);
        long tookOver = (System.nanoTime() - start) / 1_000_000;
        log.info("TIMING build taken over after the lease: {} ms", tookOver);
        assertThat(tookOver).as("waited for the dead task manager's lease").isGreaterThan(2000);

        // 4. a build left mid-way whose message is lost: it cannot be resumed (no passwords stored), so it times out
        String third = LocalCloud.insertBuildingInstance(jdbc, keys, versionId, flavor.id(), 1);
        jdbc.update("""
                UPDATE instances SET flow_name = 'create', flow_step = 'create_server', flow_data = '{}',
                       flow_started = timezone('UTC', now()) - interval '11 minutes',
                       flow_deadline = timezone('UTC', now()) - interval '1 minute',
                       flow_owner = 'crashed-taskmanager', flow_lease_until = timezone('UTC', now()) - interval '10 minutes'
                 WHERE id = ?""", third);
        await("the stranded build to time out", Duration.ofSeconds(10),
                () -> ((Number) row(jdbc, third).get("task_id")).intValue() != 5);
        assertThat(row(jdbc, third)).containsEntry("task_id", 0x5b).containsEntry("status_description", "guestagent error")
                .containsEntry("flow_name", null);
        assertThat(LocalCloud.faults(jdbc, third)).singleElement().satisfies(f ->
                assertThat((String) f.get("message")).contains("timed out").contains("step create_server"));
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    /** Whether the instance's guest runs, judged from outside any task manager: its pid file and process. */
    private static boolean poweredOn(String id) throws java.io.IOException {
        java.nio.file.Path pidFile = CLOUD.stateDir.resolve("instances").resolve(id).resolve("guest.pid");
        if (!java.nio.file.Files.exists(pidFile)) {
            return false;
        }
        long pid = Long.parseLong(java.nio.file.Files.readString(pidFile).trim());
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static CreateInstanceRequest request(String id, Flavor flavor) {
        return CreateInstanceRequest.builder(id, "db-" + id.substring(0, 8), flavor, "postgresql")
                .databases(List.of(GuestSchema.named("appdb")))
                .users(List.of(GuestUser.withAccess("app", PASSWORD, "%", List.of("appdb"))))
                .volumeSize(1).build();
    }

    private static void awaitHealthy(JdbcTemplate jdbc, String id) throws InterruptedException {
        await("instance " + id + " to be ACTIVE and healthy", LONG, () -> {
            Map<String, Object> r = row(jdbc, id);
            return Integer.valueOf(1).equals(r.get("task_id")) && "healthy".equals(r.get("status_description"))
                    && r.get("flow_name") == null;
        });
    }

    private static String queryWithin(String address, String sql, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return query(address, sql);
            } catch (java.sql.SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static String query(String address, String sql) throws Exception {
        try (Connection c = LocalCloud.connect(address, "appdb", "app", PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
