package org.trovej.taskmanager.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trovej.taskmanager.local.LocalCloud.await;
import static org.trovej.taskmanager.local.LocalCloud.row;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * The instance lifecycle end to end, as the API drives it: casts through {@link TaskManagerClient}, real guest
 * agent processes running the host's PostgreSQL, heartbeats through a real conductor.
 */
@SpringBootTest(classes = {TaskManagerApplication.class, ConductorApplication.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceLifecycleTest {

    private static final Logger log = LoggerFactory.getLogger(InstanceLifecycleTest.class);
    private static final LocalCloud CLOUD = new LocalCloud("lifecycle");
    private static final Path BROKEN_BIN = brokenBinaries(CLOUD.stateDir.resolve("broken-postgres/bin"));
    private static final Duration BUILD = Duration.ofSeconds(120);
    private static final boolean HOST_IS_ROOT = "root".equals(System.getProperty("user.name"));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CLOUD.register(registry);
        registry.add("trovej.local.postgres-bin-dirs[0]", BROKEN_BIN::toString);
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

    private final RpcContext context = RpcContext.user("user-1", "tenant-1", false);

    @AfterAll
    void powerEverythingOff() {
        compute.serverIds().forEach(compute::powerOff);
        CLOUD.deleteState();
    }

    @Test
    void createRestartResizeAndDelete() throws Exception {
        Flavor small = flavors.find("d1").orElseThrow();
        Flavor bigger = flavors.find("d2").orElseThrow();
        String versionId = LocalCloud.versionId(jdbc, "15");
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, versionId, small.id(), 1);
        String password = "Secret-pw-4711";

        long start = System.nanoTime();
        taskManager.createInstance(context, CreateInstanceRequest.builder(id, "db-one", small, "postgresql")
                .databases(List.of(GuestSchema.named("appdb")))
                .users(List.of(GuestUser.withAccess("app", password, "%", List.of("appdb"))))
                .volumeSize(1)
                .dsVersion("15")
                .build());
        await("the build to finish", BUILD, () -> {
            Map<String, Object> r = row(jdbc, id);
            return ((Number) r.get("task_id")).intValue() != 5;
        });
        log.info("TIMING create -> ACTIVE+healthy: {} ms", (System.nanoTime() - start) / 1_000_000);
        Map<String, Object> built = row(jdbc, id);
        assertThat(LocalCloud.faults(jdbc, id)).as("faults").isEmpty();
        assertThat(built).containsEntry("task_id", 1).containsEntry("server_status", "ACTIVE")
                .containsEntry("status_description", "healthy").containsEntry("flow_name", null);
        String address = (String) built.get("address");
        assertThat(address).startsWith("127.").doesNotStartWith("127.0.").doesNotStartWith("127.255.");
        assertThat(jdbc.queryForList("SELECT address FROM local_addresses WHERE instance_id = ?", String.class, id))
                .as("the local back end's own record of the address").containsExactly(address);

        // the user from the create request logs in at the instance's own address, on the standard port
        try (Connection c = LocalCloud.connect(address, "appdb", "app", password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('before restart')");
        }
        // secrets are never stored: not in the row, nor in the configuration others can read
        Integer leaked = jdbc.queryForObject("SELECT count(*) FROM instances i WHERE row_to_json(i)::text LIKE ?",
                Integer.class, "%" + password + "%");
        assertThat(leaked).isZero();
        assertThat(Files.getPosixFilePermissions(layout.guestInfoConf(id)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(layout.guestLog(id))).doesNotContain(password);

        // restart: the API sets REBOOTING and "restarting" first
        jdbc.update("UPDATE instances SET task_id = 3, task_description = 'Restarting' WHERE id = ?", id);
        jdbc.update("UPDATE service_statuses SET status_id = 34, status_description = 'restarting' "
                + "WHERE instance_id = ?", id);
        start = System.nanoTime();
        taskManager.restart(context, id);
        await("the restart", BUILD, () -> {
            Map<String, Object> r = row(jdbc, id);
            return Integer.valueOf(1).equals(r.get("task_id")) && "healthy".equals(r.get("status_description"));
        });
        log.info("TIMING restart -> healthy: {} ms", (System.nanoTime() - start) / 1_000_000);
        assertThat(query(address, password, "SELECT v FROM kept")).isEqualTo("before restart");

        // resize flavor: the database comes back sized for the new flavor's RAM
        jdbc.update("UPDATE instances SET task_id = 4, task_description = 'Resizing' WHERE id = ?", id);
        start = System.nanoTime();
        taskManager.resizeFlavor(context, id, small, bigger);
        await("the flavor resize", BUILD, () -> {
            Map<String, Object> r = row(jdbc, id);
            return Integer.valueOf(1).equals(r.get("task_id")) && "d2".equals(r.get("flavor_id"))
                    && "healthy".equals(r.get("status_description"));
        });
        log.info("TIMING resize flavor: {} ms", (System.nanoTime() - start) / 1_000_000);
        assertThat(query(address, password, "SHOW shared_buffers")).isEqualTo("256MB");
        assertThat(LocalCloud.faults(jdbc, id)).isEmpty();

        // resize volume
        jdbc.update("UPDATE instances SET task_id = 4, task_description = 'Resizing' WHERE id = ?", id);
        taskManager.resizeVolume(context, id, 2);
        await("the volume resize", BUILD, () -> {
            Map<String, Object> r = row(jdbc, id);
            return Integer.valueOf(1).equals(r.get("task_id")) && Integer.valueOf(2).equals(r.get("volume_size"));
        });
        assertThat(Files.readString(layout.volumeRecord(id))).contains("\"size_gb\": 2");
        assertThat(LocalCloud.faults(jdbc, id)).isEmpty();
        assertThat(query(address, password, "SELECT v FROM kept")).isEqualTo("before restart");

        // a resize that cannot be done ends as Trove's do: task NONE, nothing changed, and a fault saying why
        jdbc.update("UPDATE instances SET task_id = 4, task_description = 'Resizing' WHERE id = ?", id);
        taskManager.resizeVolume(context, id, 1);
        await("the refused volume resize", BUILD, () -> Integer.valueOf(1).equals(row(jdbc, id).get("task_id")));
        assertThat(row(jdbc, id)).containsEntry("volume_size", 2).containsEntry("flow_name", null);
        assertThat(LocalCloud.faults(jdbc, id)).singleElement().satisfies(f -> assertThat((String) f.get("message"))
                .contains("The volume could not be resized").contains("must be larger"));

        // delete: guest and database gone, row soft-deleted
        long guestPid = Long.parseLong(Files.readString(layout.guestPid(id)).trim());
        long postmasterPid = Long.parseLong(Files.readAllLines(layout.pgData(id).resolve("postmaster.pid")).get(0));
        jdbc.update("UPDATE instances SET task_id = 2, task_description = 'Deleting' WHERE id = ?", id);
        start = System.nanoTime();
        taskManager.deleteInstance(context, id);
        await("the delete", BUILD, () -> Boolean.TRUE.equals(row(jdbc, id).get("deleted")));
        log.info("TIMING delete: {} ms", (System.nanoTime() - start) / 1_000_000);
        Map<String, Object> deleted = row(jdbc, id);
        assertThat(deleted).containsEntry("task_id", 1).containsEntry("server_status", "DELETED")
                .containsEntry("status_description", "deleted").containsEntry("flow_name", null)
                .containsEntry("address", address);
        assertThat(jdbc.queryForList("SELECT address FROM local_addresses WHERE instance_id = ?", String.class, id))
                .as("the address is released").isEmpty();
        assertThat(LocalCloud.alive(guestPid)).as("guest process").isFalse();
        assertThat(LocalCloud.alive(postmasterPid)).as("postmaster").isFalse();
        assertThat(listens(address)).as("database port").isFalse();
        assertThat(layout.instanceDir(id)).doesNotExist();
        assertThatThrownBy(() -> LocalCloud.connect(address, "appdb", "app", password).close())
                .isInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void aGuestThatCannotSetUpItsDatabaseEndsTheBuildInErrorWithTheCause() throws Exception {
        String versionId = LocalCloud.versionId(jdbc, "98"); // registered from the broken binaries
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, versionId, "d1", 1);
        taskManager.createInstance(context, CreateInstanceRequest.builder(id, "broken", flavors.find("d1").orElseThrow(),
                "postgresql").volumeSize(1).dsVersion("98.1").build());

        await("the build to fail", BUILD, () -> ((Number) row(jdbc, id).get("task_id")).intValue() != 5);
        Map<String, Object> r = row(jdbc, id);
        assertThat(r).containsEntry("task_id", 0x5b).containsEntry("status_description", "failed to spawn")
                .containsEntry("flow_name", null);
        List<Map<String, Object>> faults = LocalCloud.faults(jdbc, id);
        assertThat(faults).isNotEmpty();
        assertThat(faults).anySatisfy(f -> assertThat((String) f.get("message")).contains("failed to spawn"));
        assertThat(faults).anySatisfy(f -> assertThat(f.get("message") + " " + f.get("details"))
                .contains("broken on purpose"));
    }

    @Test
    void aDatastoreVersionWithoutBinariesOnThisHostIsAServerError() throws Exception {
        String datastoreId = jdbc.queryForObject("SELECT id FROM datastores WHERE name = 'postgresql'", String.class);
        String versionId = java.util.UUID.randomUUID().toString();
        jdbc.update("INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active) "
                + "VALUES (?, ?, '99', '99.0', 'postgresql', true)", versionId, datastoreId);
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, versionId, "d1", 1);
        taskManager.createInstance(context, CreateInstanceRequest.builder(id, "nobin", flavors.find("d1").orElseThrow(),
                "postgresql").volumeSize(1).build());

        await("the build to fail", Duration.ofSeconds(30), () -> ((Number) row(jdbc, id).get("task_id")).intValue() != 5);
        assertThat(row(jdbc, id)).containsEntry("task_id", 0x51).containsEntry("flow_name", null);
        assertThat(LocalCloud.faults(jdbc, id)).singleElement().satisfies(f ->
                assertThat((String) f.get("message")).contains("no PostgreSQL 99 binaries on this host"));
        assertThat(compute.isRunning(id)).isFalse();
    }

    @Test
    void aMariaDbInstanceIsCreatedReachedAsItsUserAndDeletedWithItsServerAndData() throws Exception {
        // what the host has: Debian's MariaDB, registered as datastores mariadb and mysql
        String serverVersion = MariaDbCli.serverVersion();
        String versionName = serverVersion.substring(0, serverVersion.lastIndexOf('.'));
        List<Map<String, Object>> registered = jdbc.queryForList("""
                SELECT d.name AS datastore, v.name, v.version, v.manager, v.active,
                       d.default_version_id = v.id AS is_default
                  FROM datastores d JOIN datastore_versions v ON v.datastore_id = d.id
                 WHERE d.name IN ('mariadb', 'mysql') ORDER BY d.name""");
        assertThat(registered).hasSize(2);
        assertThat(registered).extracting(r -> r.get("datastore")).containsExactly("mariadb", "mysql");
        assertThat(registered).allSatisfy(r -> assertThat(r).containsEntry("name", versionName)
                .containsEntry("version", serverVersion).containsEntry("manager", r.get("datastore"))
                .containsEntry("active", true).containsEntry("is_default", true));

        Flavor small = flavors.find("d1").orElseThrow();
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, LocalCloud.versionId(jdbc, "mariadb", versionName),
                small.id(), 1);
        String password = "Maria-pw-4711";
        long start = System.nanoTime();
        taskManager.createInstance(context, CreateInstanceRequest.builder(id, "maria-one", small, "mariadb")
                .databases(List.of(GuestSchema.named("appdb")))
                .users(List.of(GuestUser.withAccess("app", password, "%", List.of("appdb"))))
                .volumeSize(1)
                .dsVersion(versionName)
                .build());
        await("the build to finish", BUILD, () -> ((Number) row(jdbc, id).get("task_id")).intValue() != 5);
        log.info("TIMING mariadb create -> ACTIVE+healthy: {} ms", (System.nanoTime() - start) / 1_000_000);
        assertThat(LocalCloud.faults(jdbc, id)).as("faults").isEmpty();
        Map<String, Object> built = row(jdbc, id);
        assertThat(built).containsEntry("task_id", 1).containsEntry("server_status", "ACTIVE")
                .containsEntry("status_description", "healthy").containsEntry("flow_name", null);
        String address = (String) built.get("address");
        assertThat(address).startsWith("127.").doesNotStartWith("127.0.");
        String guestConf = Files.readString(layout.guestAgentConf(id));
        assertThat(guestConf).contains("[mariadb]\nbind_host = " + address + "\nport = 3306\n")
                .contains("data_dir = " + layout.volumeDir(id))
                .contains("template_dir = " + layout.stateDir().resolve("templates-mariadb"))
                .doesNotContain("[postgresql]");
        if (HOST_IS_ROOT) {
            assertThat(guestConf).contains("run_as = mysql");
        }
        assertThat(Files.readString(layout.guestInfoConf(id))).contains("datastore_manager = mariadb");

        // the created user logs in with Debian's own client at the instance's address, to exactly its database
        MariaDbCli.Result login = MariaDbCli.run(address, "app", password, "appdb",
                "CREATE TABLE kept (v varchar(20)); INSERT INTO kept VALUES ('kept'); "
                        + "SELECT CURRENT_USER(), DATABASE(), v FROM kept; SHOW DATABASES");
        assertThat(login.exitCode()).as(login.stderr()).isZero();
        assertThat(login.stdout()).contains("app@%\tappdb\tkept").contains("appdb").contains("information_schema")
                .doesNotContain("mysql\n").doesNotContain("performance_schema");
        assertThat(MariaDbCli.run(address, "app", "wrong", "appdb", "SELECT 1").stderr()).contains("1045");
        Integer leaked = jdbc.queryForObject("SELECT count(*) FROM instances i WHERE row_to_json(i)::text LIKE ?",
                Integer.class, "%" + password + "%");
        assertThat(leaked).isZero();
        assertThat(Files.readString(layout.guestLog(id))).doesNotContain(password);

        // the guest agent is killed: powering the server off still stops the database it left running, and
        // powering on brings the guest and its database back (host reboot semantics)
        long killedGuest = Long.parseLong(Files.readString(layout.guestPid(id)).trim());
        long orphan = Long.parseLong(Files.readString(layout.volumeDir(id).resolve("mariadbd.pid")).trim());
        ProcessHandle.of(killedGuest).ifPresent(ProcessHandle::destroyForcibly);
        await("the guest to die", Duration.ofSeconds(10), () -> !LocalCloud.alive(killedGuest));
        assertThat(LocalCloud.alive(orphan)).as("the database outlives a killed guest").isTrue();
        compute.powerOff(id);
        assertThat(LocalCloud.alive(orphan)).as("the orphaned mariadbd").isFalse();
        assertThat(Files.readString(layout.volumeDir(id).resolve("mariadb.log"))).contains("Shutdown complete");
        compute.powerOn(id);
        await("the database to be back", BUILD, () -> listens(address, 3306));
        MariaDbCli.Result after = MariaDbCli.run(address, "app", password, "appdb", "SELECT v FROM kept");
        assertThat(after.exitCode()).as(after.stderr()).isZero();
        assertThat(after.stdout()).isEqualTo("kept\n");

        // delete: guest, server and data gone
        long guestPid = Long.parseLong(Files.readString(layout.guestPid(id)).trim());
        long serverPid = Long.parseLong(Files.readString(layout.volumeDir(id).resolve("mariadbd.pid")).trim());
        assertThat(LocalCloud.alive(serverPid)).isTrue();
        jdbc.update("UPDATE instances SET task_id = 2, task_description = 'Deleting' WHERE id = ?", id);
        start = System.nanoTime();
        taskManager.deleteInstance(context, id);
        await("the delete", BUILD, () -> Boolean.TRUE.equals(row(jdbc, id).get("deleted")));
        log.info("TIMING mariadb delete: {} ms", (System.nanoTime() - start) / 1_000_000);
        assertThat(row(jdbc, id)).containsEntry("server_status", "DELETED").containsEntry("status_description",
                "deleted");
        assertThat(LocalCloud.alive(guestPid)).as("guest process").isFalse();
        assertThat(LocalCloud.alive(serverPid)).as("mariadbd").isFalse();
        assertThat(listens(address, 3306)).as("database port").isFalse();
        assertThat(layout.instanceDir(id)).doesNotExist();
        assertThat(MariaDbCli.run(address, "app", password, "appdb", "SELECT 1").exitCode()).isNotZero();
    }

    private static String query(String address, String password, String sql) throws Exception {
        try (Connection c = LocalCloud.connect(address, "appdb", "app", password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean listens(String address) {
        return listens(address, 5432);
    }

    private static boolean listens(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A PostgreSQL "installation" that says it is version 98.1 and whose initdb always fails. */
    static Path brokenBinaries(Path bin) {
        try {
            Files.createDirectories(bin);
            String postgres = """
                    #!/bin/sh
                    if [ "$1" = "--version" ] || [ "$1" = "-V" ]; then echo "postgres (PostgreSQL) 98.1"; exit 0; fi
                    echo "postgres: these binaries are broken on purpose" >&2
                    exit 1
                    """;
            String failing = """
                    #!/bin/sh
                    echo "$(basename "$0"): these binaries are broken on purpose" >&2
                    exit 1
                    """;
            for (String[] file : new String[][] {{"postgres", postgres}, {"initdb", failing}, {"pg_ctl", failing}}) {
                Path p = bin.resolve(file[0]);
                Files.writeString(p, file[1]);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return bin;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
