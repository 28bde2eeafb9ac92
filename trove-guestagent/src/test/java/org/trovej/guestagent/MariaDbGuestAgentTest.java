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
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.config.IniFile;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.ManagerRegistry;
import org.trovej.guestagent.mysql.MariaDbManager;
import org.trovej.testsupport.TestInfrastructure;

/**
 * The agent in-process against the real broker and Debian's MariaDB server, driven as Trove's task manager drives
 * it (encrypted calls and casts on {@code guestagent.<id>}), with a conductor that records what the guest
 * reports. One instance goes through its life in order: prepare, use, stop, restart, re-prepare, agent restart
 * after a "host crash", resize, power off/on; another fails its prepare.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbGuestAgentTest {

    private static final Duration CALL = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String exchange = "trove_mdb_" + UUID.randomUUID().toString().substring(0, 8);
    private final List<MariaDbInstance> instances = new ArrayList<>();
    private Path base;
    private RpcTransport transport;
    private RpcClient taskManager;
    private RecordingConductor conductor;
    private MariaDbInstance db;

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("trove-mdb-");
        // the database user must be able to walk down to its volume
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, "mariadb-guest-test",
                Duration.ofSeconds(20));
        taskManager = new RpcClient(transport);
        conductor = new RecordingConductor(transport);
        db = newInstance("mariadb", null);
    }

    @AfterAll
    void tearDown() throws Exception {
        instances.forEach(MariaDbInstance::cleanUp);
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

    private MariaDbInstance newInstance(String manager, String extraLines) throws Exception {
        MariaDbInstance instance = new MariaDbInstance(base, exchange, manager, extraLines);
        instances.add(instance);
        conductor.register(instance.id, instance.key);
        return instance;
    }

    private RpcClient.Target guest(MariaDbInstance instance, String version) {
        return taskManager.target(Topics.guest(instance.id), version, new SecureSerializer(instance.key));
    }

    /** What Trove's task manager sends in prepare (version 1.1), all arguments present. */
    private static ObjectNode prepareArgs(MariaDbInstance instance, int memoryMb) {
        ObjectNode args = PythonJson.object();
        args.putArray("packages");
        var databases = args.putArray("databases");
        ObjectNode appdb = databases.addObject();
        appdb.put("_name", "appdb");
        appdb.putNull("_character_set");
        appdb.putNull("_collate");
        ObjectNode legacy = databases.addObject();
        legacy.put("_name", "legacy_db");
        legacy.put("_character_set", "latin1");
        legacy.put("_collate", "latin1_swedish_ci");
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
        args.put("ds_version", "10.11");
        return args;
    }

    @Test
    @Order(1)
    void prepareReportsBuildingThenHealthyAndCreatesTheUsersDatabases() throws Exception {
        transport.predeclare(Topics.guest(db.id), db.id);
        long started = System.nanoTime();
        guest(db, "1.1").cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepareArgs(db, 256));
        db.startAgent();

        assertThat(conductor.awaitLatestStatus(db.id, "healthy", WAIT)).isEqualTo("healthy");
        System.out.printf("TIMING MariaDB prepare (cast -> healthy heartbeat, agent start included): %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        List<String> statuses = conductor.statuses(db.id);
        assertThat(statuses.get(0)).isEqualTo("building");
        assertThat(statuses).containsSubsequence("building", "healthy").doesNotContain("failed to spawn");
        assertThat(conductor.heartbeats(db.id)).allSatisfy(h -> assertThat(h.sealedBy()).isEqualTo(db.id));

        try (Connection c = db.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT CURRENT_USER(), DATABASE()");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("appuser@%");
            assertThat(rs.getString(2)).isEqualTo("appdb");
            s.execute("CREATE TABLE kept (v varchar(20))");
            s.execute("INSERT INTO kept VALUES ('survives')");
            // exactly its database: the others are neither visible nor usable
            assertThat(MariaDbInstance.rows(c, "SHOW DATABASES")).containsExactlyInAnyOrder("appdb",
                    "information_schema");
            assertThatThrownBy(() -> s.execute("USE legacy_db"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM mysql.user"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
        }
        assertThatThrownBy(() -> db.connect("legacy_db", "appuser", "s3cret-Pass").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
        assertThatThrownBy(() -> db.connect("appdb", "appuser", "wrong").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));

        try (Connection c = db.connect(null, "root", "r00t-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT @@innodb_buffer_pool_size, @@general_log, @@character_set_server, "
                    + "@@port, @@bind_address, @@skip_name_resolve");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(128L * 1024 * 1024); // half of the 256 MB flavor
            assertThat(rs.getInt(2)).isZero();
            assertThat(rs.getString(3)).isEqualTo("utf8mb4");
            assertThat(rs.getInt(4)).isEqualTo(3306);
            assertThat(rs.getString(5)).isEqualTo(db.bindHost);
            assertThat(rs.getInt(6)).isEqualTo(1);
            // the agent's account: this machine only (socket and loopback)
            assertThat(MariaDbInstance.rows(c, "SELECT Host FROM mysql.user WHERE User = 'os_admin'"))
                    .containsExactlyInAnyOrder("localhost", "127.0.0.1", "::1");
            assertThat(MariaDbInstance.rows(c, "SELECT CONCAT(default_character_set_name, '/', "
                    + "default_collation_name) FROM information_schema.schemata WHERE schema_name = 'legacy_db'"))
                    .containsExactly("latin1/latin1_swedish_ci");
            // no password travelled in clear text to the server: it stores what it was given
            assertThat(MariaDbInstance.rows(c, "SELECT plugin FROM mysql.user WHERE User = 'appuser'"))
                    .containsExactly("mysql_native_password");
        }
        Path credentials = db.dataDir.resolve("os_admin.cnf");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat(Files.readString(db.dataDir.resolve("conf.d").resolve("90-system.cnf")))
                .contains("bind-address = " + db.bindHost).contains("port = 3306")
                .contains("general_log_file = " + db.dataDir.resolve("mariadb-general.log"))
                .contains("skip-name-resolve");
        String serverLog = Files.readString(db.dataDir.resolve("mariadb.log"));
        assertThat(serverLog).contains("ready for connections").doesNotContain("s3cret-Pass")
                .doesNotContain("r00t-Pass");
        assertThat(db.dataDir.resolve("os_admin.bootstrap.sql")).doesNotExist();
        assertThat(db.dataDir.resolve("data.building")).doesNotExist();
    }

    @Test
    @Order(2)
    void pingStatsAndResizeFs() {
        assertThat(guest(db, "1.0").call(RpcContext.service(), "rpc_ping", PythonJson.object(), CALL).asBoolean())
                .isTrue();
        ObjectNode args = PythonJson.object();
        args.putNull("fs_path");
        JsonNode stats = guest(db, "1.0").call(RpcContext.service(), "get_filesystem_stats", args, CALL);
        long blockSize = stats.get("block_size").asLong();
        assertThat(blockSize).isPositive();
        assertThat(stats.get("total_blocks").asLong()).isGreaterThan(stats.get("free_blocks").asLong());
        assertThat(stats.get("used").asDouble()).isPositive();
        assertThat(stats.get("mgr_extra_info").isObject()).isTrue();

        ObjectNode resize = PythonJson.object();
        resize.putNull("device_path");
        resize.put("mount_point", db.dataDir.toString());
        resize.put("online", true);
        assertThat(guest(db, "1.1").call(RpcContext.service(), "resize_fs", resize, CALL).isNull()).isTrue();
    }

    @Test
    @Order(3)
    void stopDbReportsShutdownAndClosesThePort() throws Exception {
        long serverPid = db.server().orElseThrow().pid();
        int before = conductor.heartbeats(db.id).size();
        guest(db, "1.1").call(RpcContext.service(), "stop_db", PythonJson.object(), CALL);
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("shutdown"), before, WAIT))
                .isEqualTo("shutdown");
        assertThat(db.portOpen()).isFalse();
        assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        // a clean shutdown, and it stays down
        assertThat(Files.readString(db.dataDir.resolve("mariadb.log"))).contains("Shutdown complete");
        Thread.sleep(2500);
        assertThat(conductor.statuses(db.id).get(conductor.statuses(db.id).size() - 1)).isEqualTo("shutdown");
        assertThat(db.portOpen()).isFalse();
    }

    @Test
    @Order(4)
    void restartBringsItBackHealthy() throws Exception {
        int before = conductor.heartbeats(db.id).size();
        long started = System.nanoTime();
        guest(db, "1.0").call(RpcContext.service(), "restart", PythonJson.object(), CALL);
        System.out.printf("TIMING MariaDB restart (call): %d ms%n", (System.nanoTime() - started) / 1_000_000);
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
        String adminBefore = Files.readString(db.dataDir.resolve("os_admin.cnf"));
        int before = conductor.heartbeats(db.id).size();
        guest(db, "1.1").cast(RpcContext.service(), "prepare", prepareArgs(db, 256));
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                .isEqualTo("healthy");
        assertThat(conductor.statuses(db.id).subList(before, conductor.statuses(db.id).size()))
                .doesNotContain("building");
        assertThat(Files.readString(db.dataDir.resolve("os_admin.cnf"))).isEqualTo(adminBefore);
        try (Connection c = db.connect("appdb", "appuser", "s3cret-Pass")) {
            assertThat(MariaDbInstance.rows(c, "SELECT v FROM kept")).containsExactly("survives");
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
        db.startAgent(); // the host is back, the agent starts at boot
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                .isEqualTo("healthy");
        try (Connection c = db.connect("appdb", "appuser", "s3cret-Pass")) {
            assertThat(MariaDbInstance.rows(c, "SELECT count(*) FROM kept")).containsExactly("1");
        }
    }

    @Test
    @Order(7)
    void aCrashIsReportedWithinSecondsAndTheDatabaseIsStartedAgainWithTheFaultRecorded() throws Exception {
        int before = conductor.heartbeats(db.id).size();
        db.killDatabase();
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("shutdown"), before, Duration.ofSeconds(10)))
                .isEqualTo("shutdown");
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, Duration.ofSeconds(60)))
                .isEqualTo("healthy");
        RecordingConductor.Fault fault = conductor.awaitFault(db.id, Duration.ofSeconds(10));
        assertThat(fault).isNotNull();
        assertThat(fault.message()).isEqualTo("The database stopped unexpectedly and was started again");
        assertThat(db.portOpen()).isTrue();
    }

    @Test
    @Order(8)
    void startWithConfChangesResizesMemory() throws Exception {
        ObjectNode args = PythonJson.object();
        args.putNull("config_contents");
        args.put("ds_version", "10.11");
        args.put("memory_mb", 512);
        int before = conductor.heartbeats(db.id).size();
        guest(db, "1.1").call(RpcContext.service(), "start_db_with_conf_changes", args, CALL);
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                .isEqualTo("healthy");
        try (Connection c = db.connect(null, "root", "r00t-Pass")) {
            assertThat(MariaDbInstance.rows(c, "SELECT @@innodb_buffer_pool_size"))
                    .containsExactly(Long.toString(256L * 1024 * 1024));
            assertThat(MariaDbInstance.rows(c, "SELECT @@max_connections")).containsExactly("100");
        }
    }

    @Test
    @Order(9)
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
            assertThat(db.server()).isEmpty();
            int before = conductor.heartbeats(db.id).size();
            db.startAgent(); // powered on again
            assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                    .isEqualTo("healthy");
            assertThat(db.portOpen()).isTrue();
        } finally {
            Files.writeString(conf, original);
        }
    }

    @Test
    @Order(10)
    void aFailedPrepareReportsFailedToSpawnAndTheCause() throws Exception {
        MariaDbInstance broken = newInstance("mariadb", "mysqld = " + base.resolve("no-such-mariadbd"));
        broken.startAgent();
        guest(broken, "1.1").cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepareArgs(broken, 256));

        assertThat(conductor.awaitLatestStatus(broken.id, "failed to spawn", WAIT)).isEqualTo("failed to spawn");
        RecordingConductor.Fault fault = conductor.awaitFault(broken.id, WAIT);
        assertThat(fault).isNotNull();
        assertThat(fault.message()).contains("no-such-mariadbd").contains("[mariadb] mysqld");
        assertThat(fault.notification().get("event_type").asText()).isEqualTo("trove.instance.create");
        assertThat(broken.portOpen()).isFalse();
    }

    /** Trove's mariadb/config.template rendered for a 512 MB flavor, as a Trove control plane sends it. */
    private static final String TROVE_TEMPLATE_512 = """
            [client]
            port = 3306
            socket = /var/run/mysqld/mysqld.sock

            [mysqld_safe]
            nice = 0

            [mysqld]
            user = mysql
            port = 3306
            basedir = /usr
            datadir = /var/lib/mysql/data
            tmpdir = /var/tmp
            pid_file = /var/run/mysqld/mysqld.pid
            socket = /var/run/mysqld/mysqld.sock
            skip-external-locking = 1
            key_buffer_size = 50M
            max_allowed_packet = 1024K
            thread_stack = 192K
            thread_cache_size = 4
            myisam-recover-options = BACKUP,FORCE
            query_cache_type = 1
            query_cache_limit = 1M
            query_cache_size = 8M
            innodb_data_file_path = ibdata1:10M:autoextend
            innodb_buffer_pool_size = 150M
            innodb_file_per_table = 1
            innodb_log_files_in_group = 2
            innodb_log_file_size=50M
            innodb_log_buffer_size=25M
            connect_timeout = 15
            wait_timeout = 120
            join_buffer_size = 1M
            read_buffer_size = 512K
            read_rnd_buffer_size = 512K
            sort_buffer_size = 1M
            tmp_table_size = 16M
            max_heap_table_size = 16M
            table_open_cache = 256
            table_definition_cache = 256
            open_files_limit = 512
            max_user_connections = 100
            max_connections = 100
            default_storage_engine = innodb
            local-infile = 0
            server_id = 1

            [mysqldump]
            quick = 1
            quote-names = 1
            max_allowed_packet = 16M

            [isamchk]
            key_buffer = 16M

            !includedir /etc/mysql/conf.d/
            """;

    @Test
    @Order(11)
    void aConfigurationRenderedFromTrovesTemplateAndOverridesApplyWithoutMovingTheServer() throws Exception {
        MariaDbInstance rendered = newInstance("mysql", null);
        ObjectNode args = prepareArgs(rendered, 512);
        args.put("config_contents", TROVE_TEMPLATE_512);
        args.putObject("overrides").put("max_connections", 77).put("datadir", "/elsewhere");
        transport.predeclare(Topics.guest(rendered.id), rendered.id);
        guest(rendered, "1.1").cast(RpcContext.user("u1", "tenant-1", false), "prepare", args);
        rendered.startAgent();
        assertThat(conductor.awaitLatestStatus(rendered.id, "healthy", WAIT)).isEqualTo("healthy");

        try (Connection c = rendered.connect(null, "root", "r00t-Pass")) {
            // the template's settings, the configuration group's override on top, the agent's placement last
            assertThat(MariaDbInstance.rows(c, "SELECT CONCAT_WS(' ', @@key_buffer_size, @@max_connections, "
                    + "@@wait_timeout, @@local_infile, @@bind_address, @@port, @@datadir)"))
                    .containsExactly((50L * 1024 * 1024) + " 77 120 OFF " + rendered.bindHost + " 3306 "
                            + rendered.dataDir.resolve("data") + "/");
        }
        try (Connection c = rendered.connect("appdb", "appuser", "s3cret-Pass")) {
            assertThat(c.isValid(5)).isTrue();
        }
        // the rendered configuration sizes the server: no memory settings of the agent's own
        assertThat(Files.readString(rendered.dataDir.resolve("conf.d").resolve("50-memory.cnf")))
                .doesNotContain("innodb_buffer_pool_size");
        assertThat(Files.readString(rendered.dataDir.resolve("conf.d").resolve("40-trove.cnf")))
                .contains("# (set by the guest agent) datadir").contains("# (not read: the guest agent decides "
                        + "which files are read) !includedir /etc/mysql/conf.d/");
        assertThat(Files.readString(rendered.dataDir.resolve("conf.d").resolve("60-overrides.cnf")))
                .contains("max_connections = 77").doesNotContain("/elsewhere");
        // the manager is mysql, served by the same manager reading [mysql]
        assertThat(Files.readString(rendered.dataDir.resolve("mariadb.log"))).contains("ready for connections");
        rendered.cleanUp();
    }

    @Test
    @Order(12)
    void theMysqlManagerIsTheSameManagerReadingItsOwnSection() {
        IniFile ini = IniFile.parse(List.of("[DEFAULT]", "guest_id = x", "datastore_manager = mysql",
                "transport_url = rabbit://guest:guest@127.0.0.1:1/", "[mysql]", "bind_host = 127.0.9.9",
                "port = 3307", "data_dir = " + base.resolve("mysql-volume"), "[mariadb]", "port = 3308"), "test");
        DatastoreManager<?, ?, ?> manager = ManagerRegistry.create(GuestConfig.of(ini));
        assertThat(manager).isInstanceOf(MariaDbManager.class);
        assertThat(manager.name()).isEqualTo("mysql");
        MariaDbManager mariadb = (MariaDbManager) manager;
        assertThat(mariadb.settings().section()).isEqualTo("mysql");
        assertThat(mariadb.settings().port()).isEqualTo(3307);
        assertThat(mariadb.settings().bindHost()).isEqualTo("127.0.9.9");
        assertThat(mariadb.settings().runAs()).isEqualTo(MariaDbInstance.RUN_AS);
        assertThat(mariadb.settings().mysqld()).isEqualTo(Path.of("/usr/sbin/mariadbd"));
        assertThat(mariadb.installed()).isFalse();
        assertThatThrownBy(() -> ManagerRegistry.create(GuestConfig.of(IniFile.parse(List.of("[DEFAULT]",
                "guest_id = x", "datastore_manager = percona"), "test"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mariadb, mysql, postgresql");
    }

    @Test
    @Order(14)
    void instancesPreparedFromOneTemplateDirAreCopiesWithTheirOwnUsersAndSecrets() throws Exception {
        Path templates = base.resolve("templates");
        List<MariaDbInstance> copies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            MariaDbInstance instance = newInstance("mariadb", "template_dir = " + templates);
            copies.add(instance);
            ObjectNode args = prepareArgs(instance, 256);
            ((ObjectNode) args.get("users").get(0)).put("_password", "pass-of-" + instance.id);
            transport.predeclare(Topics.guest(instance.id), instance.id);
            long started = System.nanoTime();
            guest(instance, "1.1").cast(RpcContext.user("u1", "tenant-1", false), "prepare", args);
            instance.startAgent();
            assertThat(conductor.awaitLatestStatus(instance.id, "healthy", WAIT)).isEqualTo("healthy");
            System.out.printf("TIMING MariaDB prepare %s template (cast -> healthy): %d ms%n",
                    i == 0 ? "building the" : "copying the", (System.nanoTime() - started) / 1_000_000);
        }
        // one template, built once, pristine: never started, without the agent's per-instance accounts
        List<Path> built;
        try (Stream<Path> entries = Files.list(templates)) {
            built = entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
        assertThat(built).hasSize(1);
        assertThat(built.get(0).getFileName().toString()).startsWith("10.11-");
        assertThat(new String(Files.readAllBytes(built.get(0).resolve("mysql").resolve("global_priv.MAD")),
                java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("os_admin");

        for (MariaDbInstance instance : copies) {
            MariaDbInstance other = instance == copies.get(0) ? copies.get(1) : copies.get(0);
            try (Connection c = instance.connect("appdb", "appuser", "pass-of-" + instance.id)) {
                assertThat(MariaDbInstance.rows(c, "SELECT CURRENT_USER()")).containsExactly("appuser@%");
            }
            assertThatThrownBy(() -> instance.connect("appdb", "appuser", "pass-of-" + other.id).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
            String ownAdmin = adminPassword(instance);
            assertThat(ownAdmin).isNotEqualTo(adminPassword(other));
            instance.connect(null, "os_admin", ownAdmin).close();
            assertThatThrownBy(() -> instance.connect(null, "os_admin", adminPassword(other)).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
            try (Connection c = instance.connect(null, "root", "r00t-Pass")) {
                assertThat(MariaDbInstance.rows(c, "SELECT Host FROM mysql.user WHERE User = 'os_admin'"))
                        .containsExactlyInAnyOrder("localhost", "127.0.0.1", "::1");
            }
            // the init file that made them ran once and is gone
            assertThat(instance.dataDir.resolve("os_admin.init.sql")).doesNotExist();
        }
        // and a restart (no init file any more) keeps them
        guest(copies.get(0), "1.0").call(RpcContext.service(), "restart", PythonJson.object(), CALL);
        instanceLogin(copies.get(0));
        copies.forEach(MariaDbInstance::cleanUp);
    }

    private static void instanceLogin(MariaDbInstance instance) throws Exception {
        try (Connection c = instance.connect("appdb", "appuser", "pass-of-" + instance.id)) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    private static String adminPassword(MariaDbInstance instance) throws Exception {
        return Files.readAllLines(instance.dataDir.resolve("os_admin.cnf")).stream()
                .filter(l -> l.startsWith("password")).map(l -> l.substring(l.indexOf('=') + 1).strip())
                .findFirst().orElseThrow();
    }

    @Test
    @Order(13)
    void unknownMethodsAreRefusedAsTroveDoes() {
        assertThatThrownBy(() -> guest(db, "1.3").call(RpcContext.service(), "get_hwinfo", PythonJson.object(), CALL))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("NoSuchMethod"));
    }
}
