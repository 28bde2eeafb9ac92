package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.guestagent.backup.DirectoryBackupStore;
import org.trovej.testsupport.TestInfrastructure;

/**
 * Backups and restores of a real PostgreSQL 15 through the agent's RPC API, as the task manager drives them, with
 * the objects in a directory store: a database with rows is backed up (encrypted, in several segments) while the
 * agent keeps heart-beating, restored into a fresh instance whose rows match and whose agent logs in with its own
 * password; a backup whose bytes do not match its checksum leaves an instance in error with an empty data
 * directory; a backup the agent was stopped in the middle of is reported failed and its objects deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresBackupRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String KEY = "test-backup-key-42";
    private static final String SWIFT_URL = "http://store.test/v1/AUTH_tenant-1";
    private static final int ROWS = 5000;

    private final String exchange = "trove_bk_" + UUID.randomUUID().toString().substring(0, 8);
    private final List<GuestInstance> instances = new ArrayList<>();
    /** The token each store was opened with, by container: what the guest sent as X-Auth-Token. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private Path base;
    private Path storeDir;
    private RpcTransport transport;
    private RpcClient taskManager;
    private RecordingConductor conductor;
    private GuestInstance source;
    private final String backupId = UUID.randomUUID().toString();
    private RecordingConductor.BackupUpdate completed;

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("trove-bk-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        storeDir = base.resolve("store");
        transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, "backup-test",
                Duration.ofSeconds(20));
        taskManager = new RpcClient(transport);
        conductor = new RecordingConductor(transport);
        source = newInstance("postgresql");
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

    /** An instance with the backup options and a state directory of its own. */
    private GuestInstance newInstance(String manager) throws Exception {
        GuestInstance instance = new GuestInstance(base, exchange, 1, null, true);
        instances.add(instance);
        conductor.register(instance.id, instance.key);
        Path conf = instance.configDir.resolve("trove-guestagent.conf");
        Files.writeString(conf, Files.readString(conf).replaceFirst("\\[DEFAULT]\n", "[DEFAULT]\n"
                + "state_dir = " + base.resolve(instance.id).resolve("state") + "\n"
                + "backup_encryption_key = " + KEY + "\n"
                + "backup_segment_max_size = 1048576\n"));
        if (!manager.equals("postgresql")) {
            Path info = instance.configDir.resolve("guest_info.conf");
            Files.writeString(info, Files.readString(info).replace("datastore_manager = postgresql",
                    "datastore_manager = " + manager));
            Files.writeString(conf, Files.readString(conf) + "\n[" + manager + "]\nbind_host = " + instance.bindHost
                    + "\ndata_dir = " + instance.dataDir + "\n");
        }
        return instance;
    }

    /** Starts the instance's agent with its backups in the directory store. */
    private GuestAgent start(GuestInstance instance) {
        return instance.startAgent(agent -> agent.manager().useBackupStores((swiftUrl, token, container) -> {
            assertThat(swiftUrl).isEqualTo(SWIFT_URL);
            tokens.put(token, container);
            try {
                return new DirectoryBackupStore(storeDir, container);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    private RpcClient.Target guest(GuestInstance instance) {
        return taskManager.target(Topics.guest(instance.id), "1.1", new SecureSerializer(instance.key));
    }

    private static ObjectNode prepareArgs(GuestInstance instance, ObjectNode backupInfo) {
        ObjectNode args = PythonJson.object();
        args.putArray("packages");
        ObjectNode appdb = args.putArray("databases").addObject();
        appdb.put("_name", "appdb");
        ObjectNode users = args.putArray("users").addObject();
        users.put("_name", "appuser");
        users.put("_password", "s3cret-Pass");
        users.put("_host", "%");
        users.putArray("_databases").addObject().put("_name", "appdb");
        args.put("memory_mb", 256);
        args.putNull("device_path");
        args.put("mount_point", instance.dataDir.toString());
        if (backupInfo == null) {
            args.putNull("backup_info");
            args.put("root_password", "r00t-Pass");
        } else {
            args.set("backup_info", backupInfo);
            args.put("root_password", "another-r00t");
            // Trove sends the request's users and databases on a restore too: the restored ones are already there
            users.put("_password", "changed-Pass");
            ObjectNode added = ((com.fasterxml.jackson.databind.node.ArrayNode) args.get("users")).addObject();
            added.put("_name", "newuser");
            added.put("_password", "n3w-Pass");
            added.put("_host", "%");
            added.putArray("_databases").addObject().put("_name", "appdb");
        }
        args.putNull("config_contents");
        args.putNull("overrides");
        args.put("ds_version", "15");
        return args;
    }

    private static RpcContext context(String token) {
        return RpcContext.user("u1", "tenant-1", false).with("auth_token", token);
    }

    private BackupRequest backupRequest(String id, String instanceId) {
        return new BackupRequest(id, "nightly", null, instanceId, "full", null, null, "postgresql", "15", "swift",
                null, SWIFT_URL);
    }

    private void castBackup(GuestInstance instance, String id, String token) {
        ObjectNode args = PythonJson.object();
        args.set("backup_info", backupRequest(id, instance.id).toWire());
        guest(instance).cast(context(token), "create_backup", args);
    }

    private static String md5(Path... files) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (Path file : files) {
            md5.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static List<String> rows(GuestInstance instance, String password) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = instance.connect("appdb", "appuser", password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id || ':' || note FROM items ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    @Order(1)
    void aBackupOfADatabaseWithRowsIsStoredEncryptedInSegmentsAndReported() throws Exception {
        transport.predeclare(Topics.guest(source.id), source.id);
        guest(source).cast(context("tok-prepare"), "prepare", prepareArgs(source, null));
        start(source);
        assertThat(conductor.awaitLatestStatus(source.id, "healthy", WAIT)).isEqualTo("healthy");
        try (Connection c = source.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
        }
        int beatsBefore = conductor.heartbeats(source.id).size();

        castBackup(source, backupId, "tok-backup");
        completed = conductor.awaitBackupOutcome(backupId, WAIT);

        assertThat(completed).as("update_backup COMPLETED").isNotNull();
        assertThat(completed.state()).as(completed.args().toString()).isEqualTo("COMPLETED");
        assertThat(completed.sealedBy()).isEqualTo(source.id);
        List<RecordingConductor.BackupUpdate> updates = conductor.backupUpdates(backupId);
        assertThat(updates.get(0).state()).isEqualTo("BUILDING");
        assertThat(updates.get(0).args().get("backup_type").asText()).isEqualTo("full");
        assertThat(updates.get(0).args().get("size").asDouble()).isPositive();
        String object = backupId + ".tar.gz.enc";
        assertThat(completed.args().get("location").asText())
                .isEqualTo("http://store.test/v1/AUTH_test/database_backups/" + object);
        assertThat(completed.args().get("backup_type").asText()).isEqualTo("full");
        assertThat(completed.args().get("size").asDouble()).isBetween(0.01, 1.0);
        assertThat(tokens).containsEntry("tok-backup", "database_backups");
        // several 1 MiB segments and a manifest; the checksum is the MD5 of all the stored bytes in order
        DirectoryBackupStore store = new DirectoryBackupStore(storeDir, "database_backups");
        assertThat(store.isManifest(object)).isTrue();
        List<Path> segments = store.names().stream().filter(n -> n.startsWith(object + "_")).map(store::file)
                .toList();
        assertThat(segments).hasSizeGreaterThan(1);
        assertThat(completed.args().get("checksum").asText()).isEqualTo(md5(segments.toArray(Path[]::new)));
        assertThat(new String(Files.readAllBytes(segments.get(0)), 0, 8)).isEqualTo("Salted__");
        // the database kept running and the heartbeat went on
        assertThat(conductor.heartbeats(source.id).size()).isGreaterThan(beatsBefore);
        assertThat(conductor.statuses(source.id).get(conductor.statuses(source.id).size() - 1)).isEqualTo("healthy");
        assertThat(base.resolve(source.id).resolve("state").resolve("backups-" + source.id)
                .resolve(backupId + ".running")).doesNotExist();
    }

    @Test
    @Order(2)
    void aRedeliveredCreateBackupIsNotRunAgain() throws Exception {
        int before = conductor.backupUpdates(backupId).size();
        castBackup(source, backupId, "tok-backup");
        Thread.sleep(3000);
        assertThat(conductor.backupUpdates(backupId)).hasSize(before);
    }

    @Test
    @Order(3)
    void aRestoreIntoAFreshInstanceHasTheRowsAndTheAgentLogsInWithItsOwnPassword() throws Exception {
        List<String> expected = rows(source, "s3cret-Pass");
        assertThat(expected).hasSize(ROWS);
        GuestInstance restored = newInstance("postgresql");
        RestoreInfo info = new RestoreInfo(backupId, source.id, completed.args().get("location").asText()
                .replace("AUTH_test", "AUTH_tenant-1"), "full", completed.args().get("checksum").asText(), "swift",
                SWIFT_URL);
        transport.predeclare(Topics.guest(restored.id), restored.id);
        guest(restored).cast(context("tok-restore"), "prepare", prepareArgs(restored, info.toWire()));
        start(restored);

        assertThat(conductor.awaitLatestStatus(restored.id, "healthy", WAIT)).isEqualTo("healthy");
        assertThat(conductor.faults(restored.id)).isEmpty();
        assertThat(tokens).containsEntry("tok-restore", "database_backups");
        // the source's data, users and passwords: the request's user already existed, its password is kept
        assertThat(rows(restored, "s3cret-Pass")).isEqualTo(expected);
        // a requested user the backup did not have is created
        try (Connection c = restored.connect("appdb", "newuser", "n3w-Pass")) {
            assertThat(c.isValid(5)).isTrue();
        }
        // the agent's own login works with this instance's password, not the source's
        String sourceAdmin = Files.readString(source.dataDir.resolve("os_admin.cnf"));
        String restoredAdmin = Files.readString(restored.dataDir.resolve("os_admin.cnf"));
        assertThat(restoredAdmin).isNotEqualTo(sourceAdmin);
        String password = restoredAdmin.lines().filter(l -> l.startsWith("password")).findFirst().orElseThrow()
                .split("=", 2)[1].strip();
        try (Connection c = restored.connect("postgres", "os_admin", password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), current_setting('listen_addresses')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isFalse();
            assertThat(rs.getString(2)).isEqualTo(restored.bindHost);
        }
        // root as it was in the backup (Trove does not enable root on a restore)
        try (Connection c = restored.connect("postgres", "root", "r00t-Pass")) {
            assertThat(c.isValid(5)).isTrue();
        }
        // and it can itself be backed up
        String second = UUID.randomUUID().toString();
        castBackup(restored, second, "tok-second");
        RecordingConductor.BackupUpdate outcome = conductor.awaitBackupOutcome(second, WAIT);
        assertThat(outcome).isNotNull();
        assertThat(outcome.state()).as(outcome.args().toString()).isEqualTo("COMPLETED");
    }

    @Test
    @Order(4)
    void aBackupFailingItsChecksumLeavesTheInstanceInErrorWithAnEmptyDataDirectory() throws Exception {
        GuestInstance broken = newInstance("postgresql");
        RestoreInfo info = new RestoreInfo(backupId, source.id, SWIFT_URL + "/database_backups/" + backupId
                + ".tar.gz.enc", "full", "0123456789abcdef0123456789abcdef", "swift", SWIFT_URL);
        transport.predeclare(Topics.guest(broken.id), broken.id);
        guest(broken).cast(context("tok-broken"), "prepare", prepareArgs(broken, info.toWire()));
        start(broken);

        RecordingConductor.Fault fault = conductor.awaitFault(broken.id, WAIT);
        assertThat(fault).isNotNull();
        assertThat(fault.message()).startsWith("Backup " + backupId + " failed its checksum");
        assertThat(conductor.awaitLatestStatus(broken.id, "failed to spawn", WAIT)).isEqualTo("failed to spawn");
        assertThat(broken.portOpen()).isFalse();
        try (Stream<Path> files = Files.list(broken.pgData())) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    @Order(5)
    void aBackupCutOffByTheAgentsStopIsReportedFailedAndItsObjectsDeleted() throws Exception {
        GuestInstance instance = newInstance("postgresql");
        String cutOff = UUID.randomUUID().toString();
        String object = cutOff + ".tar.gz.enc";
        DirectoryBackupStore store = new DirectoryBackupStore(storeDir, "database_backups");
        Files.write(store.file(object + "_00000001"), new byte[100]);
        Files.write(store.file(object + "_00000002"), new byte[10]);
        Path markers = base.resolve(instance.id).resolve("state").resolve("backups-" + instance.id);
        new org.trovej.guestagent.backup.BackupMarkers(markers).begin(
                new org.trovej.guestagent.backup.BackupMarkers.Running(cutOff, SWIFT_URL, "database_backups",
                        object, "tok-cut"));

        start(instance);

        RecordingConductor.BackupUpdate outcome = conductor.awaitBackupOutcome(cutOff, WAIT);
        assertThat(outcome).isNotNull();
        assertThat(outcome.state()).isEqualTo("FAILED");
        assertThat(outcome.args().get("failure_reason").asText()).isEqualTo("the guest agent stopped during the backup");
        assertThat(store.names()).noneMatch(n -> n.startsWith(object));
        assertThat(markers.resolve(cutOff + ".running")).doesNotExist();
    }

    @Test
    @Order(6)
    void aBackupOfAStoppedDatabaseFailsSayingSoAndLeavesNoObjects() throws Exception {
        guest(source).call(RpcContext.service(), "stop_db", PythonJson.object(), WAIT);
        String failing = UUID.randomUUID().toString();

        castBackup(source, failing, "tok-failing");

        RecordingConductor.BackupUpdate outcome = conductor.awaitBackupOutcome(failing, WAIT);
        assertThat(outcome).isNotNull();
        assertThat(outcome.state()).isEqualTo("FAILED");
        assertThat(outcome.args().get("failure_reason").asText())
                .isEqualTo("PostgreSQL is not running: a backup needs the database up");
        assertThat(new DirectoryBackupStore(storeDir, "database_backups").names()).noneMatch(n -> n.startsWith(failing));
    }
}
