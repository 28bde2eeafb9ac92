package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RemoteError;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcSerializer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.config.IniFile;
import org.trovej.testsupport.TestInfrastructure;

/**
 * The agent in-process against the real broker and real PostgreSQL 15 binaries, driven as Trove's task
 * manager drives it (encrypted calls and casts on {@code guestagent.<id>}), with a conductor that records
 * what the guest reports. One instance goes through its life in order: prepare, use, stop, restart,
 * re-prepare, agent restart after a "host crash", resize; another fails its prepare.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresGuestAgentTest {

    private static final Duration CALL = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String exchange = "trove_ga_" + UUID.randomUUID().toString().substring(0, 8);
    private final List<GuestInstance> instances = new ArrayList<>();
    private Path base;
    private RpcTransport transport;
    private RpcClient taskManager;
    private RecordingConductor conductor;
    private GuestInstance db;

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("trove-ga-");
        // the database user must be able to walk down to its volume
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, "guestagent-test",
                Duration.ofSeconds(20));
        taskManager = new RpcClient(transport);
        conductor = new RecordingConductor(transport);
        db = newInstance(2, null, true);
    }

    @AfterAll
    void tearDown() throws Exception {
        instances.forEach(GuestInstance::cleanUp);
        if (conductor != null) {
            conductor.close();
        }
        if (taskManager != null) {
            taskManager.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (base != null) {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private GuestInstance newInstance(int reportInterval, String extraPostgresLines, boolean encrypted)
            throws Exception {
        GuestInstance instance = new GuestInstance(base, exchange, reportInterval, extraPostgresLines, encrypted);
        instances.add(instance);
        if (instance.key != null) {
            conductor.register(instance.id, instance.key);
        }
        return instance;
    }

    private RpcClient.Target guest(GuestInstance instance, String version) {
        return taskManager.target(Topics.guest(instance.id), version,
                instance.key == null ? RpcSerializer.plain() : new SecureSerializer(instance.key));
    }

    /** What Trove's task manager sends in prepare (version 1.1), all arguments present. */
    private static ObjectNode prepareArgs(GuestInstance instance, int memoryMb) {
        ObjectNode args = PythonJson.object();
        args.putArray("packages");
        ObjectNode appdb = args.putArray("databases").addObject();
        appdb.put("_name", "appdb");
        appdb.putNull("_character_set");
        appdb.putNull("_collate");
        args.put("memory_mb", memoryMb);
        ObjectNode user = args.putArray("users").addObject();
        user.put("_name", "appuser");
        user.put("_password", "s3cret-Pass");
        user.put("_host", "%");
        user.putArray("_databases").addObject().put("_name", "appdb");
        args.putNull("device_path"); // what the local back end sends: the volume is a directory
        args.put("mount_point", instance.dataDir.toString());
        args.putNull("backup_info");
        args.putNull("config_contents");
        args.put("root_password", "r00t-Pass");
        args.putNull("overrides");
        args.putNull("cluster_config");
        args.putNull("snapshot");
        args.putArray("modules");
        args.put("ds_version", "15");
        return args;
    }

    @Test
    @Order(1)
    void prepareReportsBuildingThenHealthyAndCreatesTheUsersDatabase() throws Exception {
        // as Trove's task manager does: declare the queue, cast prepare, and only then does the guest boot
        transport.predeclare(Topics.guest(db.id), db.id);
        guest(db, "1.1").cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepareArgs(db, 256));
        db.startAgent();

        assertThat(conductor.awaitLatestStatus(db.id, "healthy", WAIT)).isEqualTo("healthy");
        List<String> statuses = conductor.statuses(db.id);
        assertThat(statuses.get(0)).isEqualTo("building");
        assertThat(statuses).containsSubsequence("building", "healthy").doesNotContain("failed to spawn");
        // sealed with this instance's key (the conductor could open them) and ordered by 'sent'
        List<RecordingConductor.Heartbeat> beats = conductor.heartbeats(db.id);
        assertThat(beats).allSatisfy(h -> assertThat(h.sealedBy()).isEqualTo(db.id));
        for (int i = 1; i < beats.size(); i++) {
            assertThat(beats.get(i).sent()).isGreaterThan(beats.get(i - 1).sent());
        }
        assertThat(beats.get(0).sent()).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(120.0));

        try (Connection c = db.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT current_user, current_database()");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("appuser");
            assertThat(rs.getString(2)).isEqualTo("appdb");
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('survives')");
        }
        assertThatThrownBy(() -> db.connect("appdb", "appuser", "wrong").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        try (Connection c = db.connect("postgres", "root", "r00t-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SHOW shared_buffers");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("64MB"); // a quarter of the 256 MB flavor
        }
        // the agent's secret is its own
        Path credentials = db.dataDir.resolve("os_admin.cnf");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat(db.dataDir.resolve("postgresql.log")).exists();
        assertThat(Files.readString(db.pgData().resolve("conf.d").resolve("90-system.conf")))
                .contains("listen_addresses = '" + db.bindHost + "'").contains("port = 5432")
                .contains("password_encryption = 'scram-sha-256'").contains("cluster_name = '" + db.id + "'");
        assertThat(Files.readString(db.pgData().resolve("pg_hba.conf")))
                .containsPattern("host +all +os_admin +samehost +scram-sha-256")
                .containsPattern("host +all +all +all +scram-sha-256").doesNotContain("trust");
    }

    @Test
    @Order(2)
    void pingStatsAndResize() {
        assertThat(guest(db, "1.0").call(RpcContext.service(), "rpc_ping", PythonJson.object(), CALL).asBoolean())
                .isTrue();
        ObjectNode args = PythonJson.object();
        args.putNull("fs_path");
        JsonNode stats = guest(db, "1.0").call(RpcContext.service(), "get_filesystem_stats", args, CALL);
        long blockSize = stats.get("block_size").asLong();
        assertThat(blockSize).isPositive();
        assertThat(stats.get("total_blocks").asLong()).isGreaterThan(stats.get("free_blocks").asLong());
        assertThat(stats.get("free_blocks").asLong()).isGreaterThanOrEqualTo(stats.get("avail_blocks").asLong());
        assertThat(stats.get("free").asLong()).isEqualTo(stats.get("free_blocks").asLong() * blockSize);
        assertThat(stats.get("total").asDouble()).isPositive().isGreaterThanOrEqualTo(stats.get("used").asDouble());
        assertThat(stats.get("used").asDouble()).isPositive();
        assertThat(stats.get("mgr_extra_info").get("wal_size").asLong()).isPositive();

        ObjectNode resize = PythonJson.object();
        resize.putNull("device_path");
        resize.put("mount_point", db.dataDir.toString());
        resize.put("online", true);
        assertThat(guest(db, "1.1").call(RpcContext.service(), "resize_fs", resize, CALL).isNull()).isTrue();
        resize.put("mount_point", db.dataDir.resolve("nope").toString());
        assertThatThrownBy(() -> guest(db, "1.1").call(RpcContext.service(), "resize_fs", resize, CALL))
                .isInstanceOf(RemoteError.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> guest(db, "1.3").call(RpcContext.service(), "get_hwinfo", PythonJson.object(), CALL))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("NoSuchMethod"));
    }

    @Test
    @Order(3)
    void stopDbReportsShutdownAndClosesThePort() throws Exception {
        int before = conductor.heartbeats(db.id).size();
        guest(db, "1.1").call(RpcContext.service(), "stop_db", PythonJson.object(), CALL);
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("shutdown"), before, WAIT))
                .isEqualTo("shutdown");
        assertThat(db.portOpen()).isFalse();
        // and it stays down: the periodic heartbeat keeps saying so
        Thread.sleep(2500);
        assertThat(conductor.statuses(db.id).get(conductor.statuses(db.id).size() - 1)).isEqualTo("shutdown");
        assertThat(db.portOpen()).isFalse();
    }

    @Test
    @Order(4)
    void restartBringsItBackHealthy() throws Exception {
        int before = conductor.heartbeats(db.id).size();
        guest(db, "1.0").call(RpcContext.service(), "restart", PythonJson.object(), CALL);
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                .isEqualTo("healthy");
        try (Connection c = db.connect("appdb", "appuser", "s3cret-Pass")) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    @Order(5)
    void aSecondPrepareOnlyStartsTheDatabaseItDoesNotReinitialise() throws Exception {
        guest(db, "1.1").call(RpcContext.service(), "stop_db", PythonJson.object(), CALL);
        assertThat(db.portOpen()).isFalse();
        int before = conductor.heartbeats(db.id).size();
        guest(db, "1.1").cast(RpcContext.service(), "prepare", prepareArgs(db, 256));
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                .isEqualTo("healthy");
        assertThat(conductor.statuses(db.id).subList(before, conductor.statuses(db.id).size()))
                .doesNotContain("building");
        try (Connection c = db.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT v FROM kept");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
        }
    }

    @Test
    @Order(6)
    void anAgentRestartLeavesTheDatabaseAloneAndAfterAHostCrashBringsItBack() throws Exception {
        db.stopAgent();
        assertThat(db.portOpen()).as("stopping the agent must not stop the database").isTrue();
        db.killDatabase(); // the host goes down
        assertThat(db.portOpen()).isFalse();

        int before = conductor.heartbeats(db.id).size();
        long started = System.nanoTime();
        db.startAgent(); // the host is back, the agent starts at boot
        System.out.printf("in-process agent start() took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                .isEqualTo("healthy");
        try (Connection c = db.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*) FROM kept");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    @Order(7)
    void aCrashIsReportedWithinSecondsAndTheDatabaseIsStartedAgainWithTheFaultRecorded() throws Exception {
        int before = conductor.heartbeats(db.id).size();
        db.killDatabase();
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("shutdown"), before, Duration.ofSeconds(10)))
                .isEqualTo("shutdown");
        // not stopped on request: the agent starts it again by itself and says so
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, Duration.ofSeconds(30)))
                .isEqualTo("healthy");
        RecordingConductor.Fault fault = conductor.awaitFault(db.id, Duration.ofSeconds(10));
        assertThat(fault).isNotNull();
        assertThat(fault.message()).isEqualTo("The database stopped unexpectedly and was started again");
        assertThat(fault.traceback()).containsExactly("Restarted by the guest agent, attempt 1 in a row");
        try (Connection c = db.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*) FROM kept");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    @Order(8)
    void startWithConfChangesResizesMemory() throws Exception {
        ObjectNode args = PythonJson.object();
        args.putNull("config_contents");
        args.put("ds_version", "15");
        args.put("memory_mb", 512);
        int before = conductor.heartbeats(db.id).size();
        guest(db, "1.1").call(RpcContext.service(), "start_db_with_conf_changes", args, CALL);
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                .isEqualTo("healthy");
        try (Connection c = db.connect("postgres", "root", "r00t-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SHOW shared_buffers");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("128MB");
        }
    }

    @Test
    @Order(8)
    void withStopDatastoreOnExitTheAgentsExitIsAPowerOffAndPowerOnBringsItBack() throws Exception {
        Path conf = db.configDir.resolve("trove-guestagent.conf");
        String original = Files.readString(conf);
        Files.writeString(conf, original.replaceFirst("\\[DEFAULT]\n", "[DEFAULT]\nstop_datastore_on_exit = true\n"));
        try {
            db.stopAgent();
            db.startAgent();
            assertThat(conductor.awaitLatestStatus(db.id, "healthy", WAIT)).isEqualTo("healthy");
            db.stopAgent(); // the local back end powers the server off
            assertThat(db.portOpen()).as("the database stops with the server").isFalse();
            int before = conductor.heartbeats(db.id).size();
            db.startAgent(); // powered on again
            assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                    .isEqualTo("healthy");
            assertThat(db.portOpen()).isTrue();
        } finally {
            Files.writeString(conf, original);
            db.stopAgent();
            db.startAgent();
        }
    }

    @Test
    @Order(9)
    void aFailedPrepareReportsFailedToSpawnAndTheCause() throws Exception {
        Path noBinaries = Files.createDirectories(base.resolve("empty-bin"));
        // also the plaintext path: this instance has no RPC key
        GuestInstance broken = newInstance(2, "bin_dir = " + noBinaries, false);
        broken.startAgent();
        guest(broken, "1.1").cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepareArgs(broken, 256));

        assertThat(conductor.awaitLatestStatus(broken.id, "failed to spawn", WAIT)).isEqualTo("failed to spawn");
        // the two casts may be taken by two server workers in either order: wait for both
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (conductor.statuses(broken.id).size() < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(conductor.statuses(broken.id)).containsExactly("building", "failed to spawn");
        RecordingConductor.Fault fault = conductor.awaitFault(broken.id, WAIT);
        assertThat(fault).isNotNull();
        assertThat(fault.sealedBy()).as("plaintext: nothing sealed").isNull();
        assertThat(conductor.heartbeats(broken.id)).allSatisfy(h -> assertThat(h.sealedBy()).isNull());
        assertThat(fault.message()).contains("initdb not found in " + noBinaries);
        assertThat(fault.traceback()).isNotEmpty();
        assertThat(fault.traceback().get(0)).contains("initdb not found");
        assertThat(fault.notification().get("instance_id").asText()).isEqualTo(broken.id);
        assertThat(fault.notification().get("event_type").asText()).isEqualTo("trove.instance.create");
        // a guest whose prepare failed stays quiet, as Trove's does: the control plane keeps "failed to spawn"
        Thread.sleep(3000);
        assertThat(conductor.statuses(broken.id)).containsExactly("building", "failed to spawn");
        assertThat(broken.portOpen()).isFalse();
    }

    @Test
    @Order(10)
    void anUnknownDatastoreManagerIsRefusedBeforeConnecting() {
        IniFile ini = IniFile.parse(List.of("[DEFAULT]", "guest_id = x", "datastore_manager = cassandra",
                "transport_url = rabbit://guest:guest@127.0.0.1:1/"), "test");
        assertThatThrownBy(() -> new GuestAgent(GuestConfig.of(ini)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cassandra").hasMessageContaining("postgresql");
    }

    @Test
    @Order(11)
    void instancesPreparedFromOneTemplateDirAreCopiesWithTheirOwnUsersAndSecrets() throws Exception {
        Path templates = base.resolve("templates");
        GuestInstance first = newInstance(2, "template_dir = " + templates, true);
        GuestInstance second = newInstance(2, "template_dir = " + templates, true);
        for (GuestInstance instance : List.of(first, second)) {
            ObjectNode args = prepareArgs(instance, 256);
            ((ObjectNode) args.get("users").get(0)).put("_password", "pass-of-" + instance.id);
            transport.predeclare(Topics.guest(instance.id), instance.id);
            guest(instance, "1.1").cast(RpcContext.user("u1", "tenant-1", false), "prepare", args);
            instance.startAgent();
            assertThat(conductor.awaitLatestStatus(instance.id, "healthy", WAIT)).isEqualTo("healthy");
        }

        // one template, built once: both clusters are copies of it (initdb would have drawn new system identifiers)
        List<Path> built;
        try (Stream<Path> entries = Files.list(templates)) {
            built = entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
        assertThat(built).hasSize(1);
        assertThat(built.get(0).getFileName().toString()).startsWith("15-");
        byte[] templateId = systemIdentifier(built.get(0));
        assertThat(systemIdentifier(first.pgData())).isEqualTo(templateId);
        assertThat(systemIdentifier(second.pgData())).isEqualTo(templateId);
        // the template stays pristine: never started, nothing instance-specific in it
        assertThat(built.get(0).resolve("postmaster.pid")).doesNotExist();
        assertThat(built.get(0).resolve("conf.d")).doesNotExist();
        assertThat(Files.readString(built.get(0).resolve("postgresql.conf"))).doesNotContain("TroveJ");

        for (GuestInstance instance : List.of(first, second)) {
            GuestInstance other = instance == first ? second : first;
            try (Connection c = instance.connect("appdb", "appuser", "pass-of-" + instance.id);
                 Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("SELECT current_user, current_setting('cluster_name')");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("appuser");
                assertThat(rs.getString(2)).isEqualTo(instance.id);
            }
            assertThatThrownBy(() -> instance.connect("appdb", "appuser", "pass-of-" + other.id).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            String ownAdmin = adminPassword(instance);
            String otherAdmin = adminPassword(other);
            assertThat(ownAdmin).isNotEqualTo(otherAdmin);
            instance.connect("postgres", "os_admin", ownAdmin).close();
            assertThatThrownBy(() -> instance.connect("postgres", "os_admin", otherAdmin).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            // the bootstrap peer line is gone once the agent's role exists
            assertThat(Files.readString(instance.pgData().resolve("pg_hba.conf"))).doesNotContain("peer")
                    .containsPattern("host +all +os_admin +samehost +scram-sha-256");
        }
    }

    /** pg_control starts with the cluster's system identifier (8 bytes), drawn by initdb. */
    private static byte[] systemIdentifier(Path pgData) throws Exception {
        byte[] control = Files.readAllBytes(pgData.resolve("global").resolve("pg_control"));
        return java.util.Arrays.copyOf(control, 8);
    }

    private static String adminPassword(GuestInstance instance) throws Exception {
        return Files.readAllLines(instance.dataDir.resolve("os_admin.cnf")).stream()
                .filter(l -> l.startsWith("password")).map(l -> l.substring(l.indexOf('=') + 1).strip())
                .findFirst().orElseThrow();
    }
}
