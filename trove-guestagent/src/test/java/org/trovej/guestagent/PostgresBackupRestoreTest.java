package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.common.backup.BackupParent;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.guestagent.backup.DirectoryBackupStore;

/**
 * Backups and restores of a real PostgreSQL 15 through the agent's RPC API, as the task manager drives them, with
 * the objects in a directory store: a database with rows is backed up (encrypted, in several segments) while the
 * agent keeps heart-beating, restored into a fresh instance whose rows match and whose agent logs in with its own
 * password; incrementals on top of it (the WAL archived since their parent) restore, each into a fresh instance,
 * to exactly the rows of their moment, and a restored instance takes full and incremental backups of its own; a
 * backup (full or a link of an incremental's chain) whose bytes do not match its checksum leaves an instance in
 * error with an empty data directory; an incremental whose parent's WAL was pruned, or on a server that does not
 * archive, fails saying why; a backup the agent was stopped in the middle of is reported failed and its objects
 * deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresBackupRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String KEY = "test-backup-key-42";
    private static final String SWIFT_URL = "http://store.test/v1/AUTH_tenant-1";
    private static final int ROWS = 5000;

    private GuestTestBed bed;
    private final List<GuestInstance> instances = new ArrayList<>();
    /** The token each store was opened with, by container: what the guest sent as X-Auth-Token. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private GuestInstance source;
    private final String backupId = UUID.randomUUID().toString();
    private RecordingConductor.BackupUpdate completed;
    /** The incrementals on top of {@link #completed}, and the rows at their moments. */
    private RecordingConductor.BackupUpdate firstIncremental;
    private RecordingConductor.BackupUpdate secondIncremental;
    private List<String> rowsAtFirstIncremental;
    private List<String> rowsAtSecondIncremental;
    /** The instance restored from the second incremental. */
    private GuestInstance restoredFromChain;
    private RecordingConductor.BackupUpdate newerFull;

    @BeforeAll
    void setUp() throws Exception {
        bed = new GuestTestBed("bk", false);
        source = newInstance("postgresql");
    }

    @AfterAll
    void tearDown() throws Exception {
        instances.forEach(GuestInstance::cleanUp);
        if (bed != null) {
            bed.close();
        }
    }

    /** An instance with the backup options and a state directory of its own. */
    private GuestInstance newInstance(String manager) throws Exception {
        GuestInstance instance = new GuestInstance(bed.base, bed.exchange, 1, null, true);
        instances.add(instance);
        bed.conductor.register(instance.id, instance.key);
        bed.configureBackups(instance.configDir, instance.id, KEY, "backup_segment_max_size = 1048576");
        Path conf = instance.configDir.resolve("trove-guestagent.conf");
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
        return instance.startAgent(agent -> agent.manager().useBackupStores(
                bed.directoryStores((swiftUrl, token, container) -> {
                    assertThat(swiftUrl).isEqualTo(SWIFT_URL);
                    tokens.put(token, container);
                })));
    }

    private RpcClient.Target guest(GuestInstance instance) {
        return bed.taskManager.target(Topics.guest(instance.id), "1.1", new SecureSerializer(instance.key));
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
        castBackup(instance, backupRequest(id, instance.id), token);
    }

    private void castBackup(GuestInstance instance, BackupRequest request, String token) {
        ObjectNode args = PythonJson.object();
        args.set("backup_info", request.toWire());
        guest(instance).cast(context(token), "create_backup", args);
    }

    /** An incremental on top of {@code parent}, as the task manager asks for it. */
    private BackupRequest incrementalRequest(String id, String instanceId, RecordingConductor.BackupUpdate parent) {
        return new BackupRequest(id, "incremental", null, instanceId, "incremental", null,
                new BackupParent(location(parent), parent.args().get("checksum").asText()), "postgresql", "15",
                "swift", null, SWIFT_URL);
    }

    /** A backup's location in the account the guest is given (the test store names another one). */
    private static String location(RecordingConductor.BackupUpdate backup) {
        return backup.args().get("location").asText().replace("AUTH_test", "AUTH_tenant-1");
    }

    /** Takes a backup and answers its COMPLETED update. */
    private RecordingConductor.BackupUpdate backUp(GuestInstance instance, BackupRequest request) throws Exception {
        castBackup(instance, request, "tok-" + request.id());
        RecordingConductor.BackupUpdate outcome = bed.conductor.awaitBackupOutcome(request.id(), WAIT);
        assertThat(outcome).as("update_backup of " + request.id()).isNotNull();
        assertThat(outcome.state()).as(outcome.args().toString()).isEqualTo("COMPLETED");
        assertThat(outcome.args().get("backup_type").asText()).isEqualTo(request.backupType());
        return outcome;
    }

    /** Casts a backup that must fail; answers its failure_reason. */
    private String failedBackup(GuestInstance instance, BackupRequest request) throws Exception {
        castBackup(instance, request, "tok-" + request.id());
        RecordingConductor.BackupUpdate outcome = bed.conductor.awaitBackupOutcome(request.id(), WAIT);
        assertThat(outcome).as("update_backup of " + request.id()).isNotNull();
        assertThat(outcome.state()).as(outcome.args().toString()).isEqualTo("FAILED");
        assertThat(new DirectoryBackupStore(bed.storeDir, "database_backups").names())
                .noneMatch(n -> n.startsWith(request.id()));
        return outcome.args().get("failure_reason").asText();
    }

    /** Restores {@code backup} into a fresh instance and waits until it is healthy. */
    private GuestInstance restore(RecordingConductor.BackupUpdate backup, String type) throws Exception {
        GuestInstance restored = newInstance("postgresql");
        RestoreInfo info = new RestoreInfo(backup.backupId(), backup.instanceId(), location(backup), type,
                backup.args().get("checksum").asText(), "swift", SWIFT_URL);
        bed.transport.predeclare(Topics.guest(restored.id), restored.id);
        guest(restored).cast(context("tok-restore"), "prepare", prepareArgs(restored, info.toWire()));
        start(restored);
        assertThat(bed.conductor.awaitLatestStatus(restored.id, "healthy", WAIT))
                .as("restored from " + backup.backupId())
                .isEqualTo("healthy");
        assertThat(bed.conductor.faults(restored.id)).isEmpty();
        return restored;
    }

    /** The stored object's metadata (names lower-cased). */
    private Map<String, String> objectMetadata(RecordingConductor.BackupUpdate backup) throws Exception {
        String location = backup.args().get("location").asText();
        return new DirectoryBackupStore(bed.storeDir, "database_backups")
                .metadata(location.substring(location.lastIndexOf('/') + 1));
    }

    private static void sql(GuestInstance instance, String... statements) throws Exception {
        try (Connection c = instance.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** A setting of the running server, read as its superuser (root, enabled at the source's prepare). */
    private static String setting(GuestInstance instance, String query) throws Exception {
        try (Connection c = instance.connect("postgres", "root", "r00t-Pass"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** The archive is pruned by the status loop (every second here) soon after a backup, not on its way to COMPLETED. */
    private static void awaitArchiveFrom(GuestInstance instance, String oldest) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!archived(instance).stream().allMatch(name -> name.compareTo(oldest) >= 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static List<String> archived(GuestInstance instance) throws Exception {
        try (Stream<Path> files = Files.list(instance.dataDir.resolve("wal_archive"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{24}")).sorted()
                    .toList();
        }
    }

    /** pg_ctl as the database's OS user, behind the agent's back (as a cluster started by an older agent). */
    private static void pgCtl(GuestInstance instance, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (org.trovej.guestagent.os.OsUser.isRoot()) {
            command.addAll(List.of("runuser", "-u", GuestInstance.RUN_AS, "--"));
        }
        command.add(GuestInstance.PG_BIN.resolve("pg_ctl").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(instance.dataDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
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
        bed.transport.predeclare(Topics.guest(source.id), source.id);
        guest(source).cast(context("tok-prepare"), "prepare", prepareArgs(source, null));
        start(source);
        assertThat(bed.conductor.awaitLatestStatus(source.id, "healthy", WAIT)).isEqualTo("healthy");
        try (Connection c = source.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
        }
        int beatsBefore = bed.conductor.heartbeats(source.id).size();

        castBackup(source, backupId, "tok-backup");
        completed = bed.conductor.awaitBackupOutcome(backupId, WAIT);

        assertThat(completed).as("update_backup COMPLETED").isNotNull();
        assertThat(completed.state()).as(completed.args().toString()).isEqualTo("COMPLETED");
        assertThat(completed.sealedBy()).isEqualTo(source.id);
        List<RecordingConductor.BackupUpdate> updates = bed.conductor.backupUpdates(backupId);
        assertThat(updates.get(0).state()).isEqualTo("BUILDING");
        assertThat(updates.get(0).args().get("backup_type").asText()).isEqualTo("full");
        assertThat(updates.get(0).args().get("size").asDouble()).isPositive();
        String object = backupId + ".tar.zst.enc";
        assertThat(completed.args().get("location").asText())
                .isEqualTo("http://store.test/v1/AUTH_test/database_backups/" + object);
        assertThat(completed.args().get("backup_type").asText()).isEqualTo("full");
        assertThat(completed.args().get("size").asDouble()).isBetween(0.01, 1.0);
        assertThat(tokens).containsEntry("tok-backup", "database_backups");
        // several 1 MiB segments and a manifest; the checksum is the MD5 of all the stored bytes in order
        DirectoryBackupStore store = new DirectoryBackupStore(bed.storeDir, "database_backups");
        assertThat(store.isManifest(object)).isTrue();
        List<Path> segments = store.names().stream().filter(n -> n.startsWith(object + "_")).map(store::file)
                .toList();
        assertThat(segments).hasSizeGreaterThan(1);
        assertThat(completed.args().get("checksum").asText()).isEqualTo(md5(segments.toArray(Path[]::new)));
        assertThat(new String(Files.readAllBytes(segments.get(0)), 0, 8)).isEqualTo("Salted__");
        // the database kept running and the heartbeat went on
        // (a backup can end within one report interval: the next heartbeat is awaited, not assumed)
        assertThat(bed.conductor.awaitHeartbeat(source.id, h -> h.status().equals("healthy"), beatsBefore, WAIT))
                .isEqualTo("healthy");
        List<String> statuses = bed.conductor.statuses(source.id);
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo("healthy");
        assertThat(bed.base.resolve(source.id).resolve("state").resolve("backups-" + source.id)
                .resolve(backupId + ".running")).doesNotExist();
        // archiving is on from prepare, into the volume beside the cluster; the backup records its WAL files
        assertThat(setting(source, "SHOW archive_mode")).isEqualTo("on");
        Map<String, String> metadata = objectMetadata(completed);
        assertThat(metadata.get("stop-wal-file")).matches("[0-9A-F]{24}");
        assertThat(metadata.get("start-wal-file")).matches("[0-9A-F]{24}");
        assertThat(metadata.get("label")).startsWith("trove backup ");
        assertThat(metadata).doesNotContainKey("parent-location");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!archived(source).contains(metadata.get("stop-wal-file")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(archived(source)).contains(metadata.get("stop-wal-file"));
    }

    @Test
    @Order(2)
    void aRedeliveredCreateBackupIsNotRunAgain() throws Exception {
        int before = bed.conductor.backupUpdates(backupId).size();
        castBackup(source, backupId, "tok-backup");
        Thread.sleep(3000);
        assertThat(bed.conductor.backupUpdates(backupId)).hasSize(before);
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
        bed.transport.predeclare(Topics.guest(restored.id), restored.id);
        guest(restored).cast(context("tok-restore"), "prepare", prepareArgs(restored, info.toWire()));
        start(restored);

        assertThat(bed.conductor.awaitLatestStatus(restored.id, "healthy", WAIT)).isEqualTo("healthy");
        assertThat(bed.conductor.faults(restored.id)).isEmpty();
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
        // it archives its own WAL, from an empty archive (the source's WAL is not in a full backup)
        try (Connection c = restored.connect("postgres", "root", "r00t-Pass"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW archive_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("on");
        }
        // and it can itself be backed up
        String second = UUID.randomUUID().toString();
        castBackup(restored, second, "tok-second");
        RecordingConductor.BackupUpdate outcome = bed.conductor.awaitBackupOutcome(second, WAIT);
        assertThat(outcome).isNotNull();
        assertThat(outcome.state()).as(outcome.args().toString()).isEqualTo("COMPLETED");
    }

    @Test
    @Order(4)
    void incrementalsStoreTheWalSinceTheirParent() throws Exception {
        sql(source, "INSERT INTO items SELECT g, 'first ' || g FROM generate_series(" + (ROWS + 1) + ", "
                + (ROWS + 100) + ") g");
        rowsAtFirstIncremental = rows(source, "s3cret-Pass");
        firstIncremental = backUp(source, incrementalRequest(UUID.randomUUID().toString(), source.id, completed));

        // deletions and updates too, not only rows added
        sql(source, "DELETE FROM items WHERE id <= 10", "UPDATE items SET note = 'changed' WHERE id = 20",
                "INSERT INTO items SELECT g, 'second ' || g FROM generate_series(" + (ROWS + 101) + ", "
                        + (ROWS + 150) + ") g");
        rowsAtSecondIncremental = rows(source, "s3cret-Pass");
        secondIncremental = backUp(source, incrementalRequest(UUID.randomUUID().toString(), source.id,
                firstIncremental));
        // what comes after the backup is not in it
        sql(source, "INSERT INTO items VALUES (999999, 'after the second incremental')");

        Map<String, String> full = objectMetadata(completed);
        Map<String, String> first = objectMetadata(firstIncremental);
        Map<String, String> second = objectMetadata(secondIncremental);
        assertThat(first).containsEntry("parent-location", location(completed))
                .containsEntry("parent-checksum", completed.args().get("checksum").asText())
                .containsEntry("start-wal-file", full.get("stop-wal-file"))
                .containsEntry("backup-type", "incremental");
        assertThat(first.get("restore-point")).startsWith("trove-incremental-");
        assertThat(second).containsEntry("parent-location", location(firstIncremental))
                .containsEntry("start-wal-file", first.get("stop-wal-file"));
        assertThat(second.get("stop-wal-file")).isGreaterThan(first.get("stop-wal-file"));
        assertThat(firstIncremental.args().get("location").asText()).endsWith(firstIncremental.backupId()
                + ".tar.zst.enc");
        // the archive keeps what an incremental on the newest backup needs, not what older ones needed
        awaitArchiveFrom(source, second.get("stop-wal-file"));
        assertThat(archived(source).get(0)).isEqualTo(second.get("stop-wal-file"));
    }

    @Test
    @Order(5)
    void eachIncrementalRestoresIntoAFreshInstanceWithExactlyTheRowsOfItsMoment() throws Exception {
        GuestInstance fromFirst = restore(firstIncremental, "incremental");
        assertThat(rows(fromFirst, "s3cret-Pass")).isEqualTo(rowsAtFirstIncremental);

        restoredFromChain = restore(secondIncremental, "incremental");
        assertThat(rows(restoredFromChain, "s3cret-Pass")).isEqualTo(rowsAtSecondIncremental)
                .hasSize(ROWS + 140).contains("20:changed").doesNotContain("999999:after the second incremental");
        // recovered and promoted onto a timeline of its own, archiving, with no recovery settings left
        assertThat(setting(restoredFromChain, "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
        assertThat(setting(restoredFromChain, "SELECT pg_walfile_name(pg_current_wal_lsn())")).startsWith("00000002");
        assertThat(setting(restoredFromChain, "SHOW archive_mode")).isEqualTo("on");
        assertThat(restoredFromChain.pgData().resolve("recovery.signal")).doesNotExist();
        assertThat(restoredFromChain.pgData().resolve("conf.d").resolve("95-recovery.conf")).doesNotExist();
        // the source goes on by itself
        assertThat(rows(source, "s3cret-Pass")).contains("999999:after the second incremental");
    }

    @Test
    @Order(6)
    void aRestoredInstanceTakesFullAndIncrementalBackupsOfItsOwn() throws Exception {
        sql(restoredFromChain, "INSERT INTO items VALUES (700001, 'restored, then full')");
        RecordingConductor.BackupUpdate full = backUp(restoredFromChain,
                backupRequest(UUID.randomUUID().toString(), restoredFromChain.id));
        sql(restoredFromChain, "INSERT INTO items VALUES (700002, 'restored, then incremental')",
                "DELETE FROM items WHERE id = 30");
        List<String> expected = rows(restoredFromChain, "s3cret-Pass");
        RecordingConductor.BackupUpdate incremental = backUp(restoredFromChain,
                incrementalRequest(UUID.randomUUID().toString(), restoredFromChain.id, full));
        assertThat(objectMetadata(incremental).get("stop-wal-file")).startsWith("00000002");

        GuestInstance again = restore(incremental, "incremental");
        assertThat(rows(again, "s3cret-Pass")).isEqualTo(expected);
        assertThat(setting(again, "SELECT pg_walfile_name(pg_current_wal_lsn())")).startsWith("00000003");
        again.cleanUp();
    }

    @Test
    @Order(7)
    void aFlippedByteInAnIncrementalsChainFailsTheRestoreWithTheChecksumFault() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(bed.storeDir, "database_backups");
        String object = firstIncremental.backupId() + ".tar.zst.enc";
        Path file = store.isManifest(object) ? store.file(object + "_00000001") : store.file(object);
        byte[] original = Files.readAllBytes(file);
        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x01;
        Files.write(file, flipped);
        try {
            GuestInstance broken = newInstance("postgresql");
            RestoreInfo info = new RestoreInfo(secondIncremental.backupId(), source.id, location(secondIncremental),
                    "incremental", secondIncremental.args().get("checksum").asText(), "swift", SWIFT_URL);
            bed.transport.predeclare(Topics.guest(broken.id), broken.id);
            guest(broken).cast(context("tok-broken"), "prepare", prepareArgs(broken, info.toWire()));
            start(broken);

            RecordingConductor.Fault fault = bed.conductor.awaitFault(broken.id, WAIT);
            assertThat(fault).isNotNull();
            assertThat(fault.message()).startsWith("Backup " + firstIncremental.backupId() + " failed its checksum");
            assertThat(bed.conductor.awaitLatestStatus(broken.id, "failed to spawn", WAIT))
                    .isEqualTo("failed to spawn");
            assertThat(broken.portOpen()).isFalse();
            try (Stream<Path> files = Files.list(broken.pgData())) {
                assertThat(files.toList()).isEmpty();
            }
            try (Stream<Path> files = Files.list(broken.dataDir.resolve("wal_archive"))) {
                assertThat(files.toList()).isEmpty();
            }
        } finally {
            Files.write(file, original);
        }
    }

    @Test
    @Order(8)
    void anIncrementalWhoseParentsWalWasPrunedFailsSayingSo() throws Exception {
        newerFull = backUp(source, backupRequest(UUID.randomUUID().toString(), source.id));
        String stop = objectMetadata(newerFull).get("stop-wal-file");
        awaitArchiveFrom(source, stop);
        assertThat(archived(source)).allMatch(name -> name.compareTo(stop) >= 0);

        String reason = failedBackup(source, incrementalRequest(UUID.randomUUID().toString(), source.id,
                secondIncremental));
        assertThat(reason).startsWith("Cannot find parent backup WAL file "
                + objectMetadata(secondIncremental).get("stop-wal-file"));
        // on the newest backup an incremental works
        backUp(source, incrementalRequest(UUID.randomUUID().toString(), source.id, newerFull));
    }

    @Test
    @Order(9)
    void anIncrementalOnAServerStartedWithoutArchivingAsksForARestart() throws Exception {
        // as a cluster an agent without WAL archiving started: running with archive_mode off (the agent is away
        // meanwhile, else it would start the database it sees stopped again itself)
        source.stopAgent();
        Path system = source.pgData().resolve("conf.d").resolve("90-system.conf");
        pgCtl(source, "stop", "-D", source.pgData().toString(), "-m", "fast", "-w");
        Files.writeString(system, Files.readString(system).replaceAll("(?m)^archive_(mode|command) = .*$", ""));
        pgCtl(source, "start", "-D", source.pgData().toString(), "-l", source.dataDir.resolve("postgresql.log")
                .toString(), "-w");
        start(source);
        assertThat(setting(source, "SHOW archive_mode")).isEqualTo("off");

        String reason = failedBackup(source, incrementalRequest(UUID.randomUUID().toString(), source.id, newerFull));
        assertThat(reason).isEqualTo("WAL archiving is not on: restart the instance");

        guest(source).call(RpcContext.service(), "restart", PythonJson.object(), WAIT);
        assertThat(setting(source, "SHOW archive_mode")).isEqualTo("on");
    }

    @Test
    @Order(10)
    void aBackupFailingItsChecksumLeavesTheInstanceInErrorWithAnEmptyDataDirectory() throws Exception {
        GuestInstance broken = newInstance("postgresql");
        RestoreInfo info = new RestoreInfo(backupId, source.id, SWIFT_URL + "/database_backups/" + backupId
                + ".tar.zst.enc", "full", "0123456789abcdef0123456789abcdef", "swift", SWIFT_URL);
        bed.transport.predeclare(Topics.guest(broken.id), broken.id);
        guest(broken).cast(context("tok-broken"), "prepare", prepareArgs(broken, info.toWire()));
        start(broken);

        assertThat(bed.conductor.awaitLatestStatus(broken.id, "failed to spawn", WAIT)).isEqualTo("failed to spawn");
        // the fault is recorded before the status that makes the API show ERROR: a client seeing ERROR reads why
        assertThat(bed.conductor.faults(broken.id)).as("faults once 'failed to spawn' arrived").singleElement()
                .satisfies(fault -> assertThat(fault.message())
                        .startsWith("Backup " + backupId + " failed its checksum"));
        assertThat(broken.portOpen()).isFalse();
        try (Stream<Path> files = Files.list(broken.pgData())) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    @Order(11)
    void aBackupCutOffByTheAgentsStopIsReportedFailedAndItsObjectsDeleted() throws Exception {
        GuestInstance instance = newInstance("postgresql");
        String cutOff = UUID.randomUUID().toString();
        String object = cutOff + ".tar.gz.enc";
        DirectoryBackupStore store = new DirectoryBackupStore(bed.storeDir, "database_backups");
        Files.write(store.file(object + "_00000001"), new byte[100]);
        Files.write(store.file(object + "_00000002"), new byte[10]);
        Path markers = bed.base.resolve(instance.id).resolve("state").resolve("backups-" + instance.id);
        new org.trovej.guestagent.backup.BackupMarkers(markers).begin(
                new org.trovej.guestagent.backup.BackupMarkers.Running(cutOff, SWIFT_URL, "database_backups",
                        object, "tok-cut"));

        start(instance);

        RecordingConductor.BackupUpdate outcome = bed.conductor.awaitBackupOutcome(cutOff, WAIT);
        assertThat(outcome).isNotNull();
        assertThat(outcome.state()).isEqualTo("FAILED");
        assertThat(outcome.args().get("failure_reason").asText()).isEqualTo("the guest agent stopped during the backup");
        assertThat(store.names()).noneMatch(n -> n.startsWith(object));
        assertThat(markers.resolve(cutOff + ".running")).doesNotExist();
    }

    @Test
    @Order(12)
    void aBackupOfAStoppedDatabaseFailsSayingSoAndLeavesNoObjects() throws Exception {
        guest(source).call(RpcContext.service(), "stop_db", PythonJson.object(), WAIT);
        String failing = UUID.randomUUID().toString();

        castBackup(source, failing, "tok-failing");

        RecordingConductor.BackupUpdate outcome = bed.conductor.awaitBackupOutcome(failing, WAIT);
        assertThat(outcome).isNotNull();
        assertThat(outcome.state()).isEqualTo("FAILED");
        assertThat(outcome.args().get("failure_reason").asText())
                .isEqualTo("PostgreSQL is not running: a backup needs the database up");
        assertThat(new DirectoryBackupStore(bed.storeDir, "database_backups").names())
                .noneMatch(n -> n.startsWith(failing));
    }
}
