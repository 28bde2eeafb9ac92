package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * Backups and restores of Debian's real MariaDB through the agent's RPC API with {@code mariabackup}, the objects
 * in a directory store: a full backup, an incremental on it and another on that, taken while rows are written,
 * updated, deleted and tables made, altered and dropped between them (InnoDB, MyISAM and Aria); each restored into
 * a fresh instance holds exactly the rows of its moment, and its agent logs in with its own password; a flipped
 * byte in a part of the chain fails the restore on that part's checksum and leaves an empty datadir; a tool that
 * fails or is killed makes the backup FAILED with its reason and leaves no object; the account the tool logs in
 * as gets back a privilege taken from it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbBackupRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String KEY = "test-backup-key-42";
    private static final String SWIFT_URL = "http://store.test/v1/AUTH_tenant-1";
    private static final String CONTAINER = "database_backups";

    private GuestTestBed bed;
    private final List<MariaDbInstance> instances = new ArrayList<>();
    private MariaDbInstance source;

    /** The backups of the chain, oldest first, and what the database held when each was taken. */
    private final List<Taken> chain = new ArrayList<>();

    private record Taken(String id, RecordingConductor.BackupUpdate outcome, Map<String, List<String>> rows) {

        String location() {
            // the store answers with its own account; the request's account is the one the guest must use
            return outcome.args().get("location").asText().replace("AUTH_test", "AUTH_tenant-1");
        }

        String checksum() {
            return outcome.args().get("checksum").asText();
        }

        String object() {
            return location().substring(location().lastIndexOf('/') + 1);
        }
    }

    @BeforeAll
    void setUp() throws Exception {
        bed = new GuestTestBed("mbk", false);
        source = newInstance("mariadb", null);
    }

    @AfterAll
    void tearDown() throws Exception {
        instances.forEach(MariaDbInstance::cleanUp);
        if (bed != null) {
            bed.close();
        }
    }

    /** An instance with the backup options, a state directory of its own, and {@code extraLines} in its section. */
    private MariaDbInstance newInstance(String manager, String extraLines) throws Exception {
        MariaDbInstance instance = new MariaDbInstance(bed.base, bed.exchange, manager, extraLines);
        instances.add(instance);
        bed.conductor.register(instance.id, instance.key);
        bed.configureBackups(instance.configDir, instance.id, KEY, "backup_segment_max_size = 1048576");
        return instance;
    }

    /** Starts the instance's agent with its backups in the directory store. */
    private void start(MariaDbInstance instance) {
        instance.startAgent(agent -> agent.manager().useBackupStores(
                bed.directoryStores((swiftUrl, token, container) -> assertThat(swiftUrl).isEqualTo(SWIFT_URL))));
    }

    private RpcClient.Target guest(MariaDbInstance instance) {
        return bed.taskManager.target(Topics.guest(instance.id), "1.1", new SecureSerializer(instance.key));
    }

    private static ObjectNode prepareArgs(MariaDbInstance instance, RestoreInfo restore) {
        ObjectNode args = PythonJson.object();
        args.putArray("packages");
        args.putArray("databases").addObject().put("_name", "appdb");
        ArrayNode users = args.putArray("users");
        ObjectNode user = users.addObject();
        user.put("_name", "appuser");
        user.put("_password", "s3cret-Pass");
        user.put("_host", "%");
        user.putArray("_databases").addObject().put("_name", "appdb");
        args.put("memory_mb", 256);
        args.putNull("device_path");
        args.put("mount_point", instance.dataDir.toString());
        if (restore == null) {
            args.putNull("backup_info");
            args.put("root_password", "r00t-Pass");
        } else {
            args.set("backup_info", restore.toWire());
            args.put("root_password", "another-r00t");
            // Trove sends the request's users on a restore too: the restored ones keep their passwords
            user.put("_password", "changed-Pass");
        }
        args.putNull("config_contents");
        args.putNull("overrides");
        args.put("ds_version", "10.11");
        return args;
    }

    private static RpcContext context(String token) {
        return RpcContext.user("u1", "tenant-1", false).with("auth_token", token);
    }

    /** Casts {@code create_backup} (an incremental on {@code parent} when not null) and awaits its outcome. */
    private RecordingConductor.BackupUpdate backup(MariaDbInstance instance, String id, Taken parent)
            throws Exception {
        BackupRequest request = new BackupRequest(id, "b-" + id.substring(0, 8), null, instance.id,
                parent == null ? "full" : "incremental", null,
                parent == null ? null : new BackupParent(parent.location(), parent.checksum()), "mariadb", "10.11",
                "swift", null, SWIFT_URL);
        ObjectNode args = PythonJson.object();
        args.set("backup_info", request.toWire());
        guest(instance).cast(context("tok-" + id.substring(0, 8)), "create_backup", args);
        RecordingConductor.BackupUpdate outcome = bed.conductor.awaitBackupOutcome(id, WAIT);
        assertThat(outcome).as("update_backup outcome of " + id).isNotNull();
        return outcome;
    }

    private Taken completedBackup(Taken parent) throws Exception {
        String id = UUID.randomUUID().toString();
        RecordingConductor.BackupUpdate outcome = backup(source, id, parent);
        assertThat(outcome.state()).as(outcome.args().toString()).isEqualTo("COMPLETED");
        Taken taken = new Taken(id, outcome, snapshot(source, "s3cret-Pass"));
        chain.add(taken);
        return taken;
    }

    /** Every table of appdb, each as its rows in order: what a restore must bring back exactly. */
    private static Map<String, List<String>> snapshot(MariaDbInstance instance, String password) throws Exception {
        Map<String, List<String>> tables = new java.util.TreeMap<>();
        try (Connection c = instance.connect("appdb", "appuser", password)) {
            for (String table : MariaDbInstance.rows(c, "SHOW TABLES")) {
                List<String> columns = MariaDbInstance.rows(c, "SELECT column_name FROM information_schema.columns "
                        + "WHERE table_schema = 'appdb' AND table_name = '" + table + "' ORDER BY ordinal_position");
                tables.put(table, MariaDbInstance.rows(c, "SELECT CONCAT_WS('|', " + String.join(", ", columns)
                        + ") FROM " + table + " ORDER BY 1"));
            }
        }
        return tables;
    }

    private static void sql(MariaDbInstance instance, String... statements) throws Exception {
        try (Connection c = instance.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private DirectoryBackupStore store() throws IOException {
        return new DirectoryBackupStore(bed.storeDir, CONTAINER);
    }

    private RestoreInfo restoreInfo(Taken taken) {
        return new RestoreInfo(taken.id(), source.id, taken.location(), chain.indexOf(taken) == 0 ? "full"
                : "incremental", taken.checksum(), "swift", SWIFT_URL);
    }

    /** A fresh instance restored from {@code taken}, once it reports healthy. */
    private MariaDbInstance restored(Taken taken) throws Exception {
        MariaDbInstance instance = newInstance("mariadb", null);
        bed.transport.predeclare(Topics.guest(instance.id), instance.id);
        guest(instance).cast(context("tok-restore"), "prepare", prepareArgs(instance, restoreInfo(taken)));
        start(instance);
        assertThat(bed.conductor.awaitLatestStatus(instance.id, "healthy", WAIT)).isEqualTo("healthy");
        assertThat(bed.conductor.faults(instance.id)).isEmpty();
        return instance;
    }

    @Test
    @Order(1)
    void aFullBackupOfTheRunningServerIsStoredEncryptedInSegmentsWithItsLsn() throws Exception {
        bed.transport.predeclare(Topics.guest(source.id), source.id);
        guest(source).cast(context("tok-prepare"), "prepare", prepareArgs(source, null));
        start(source);
        assertThat(bed.conductor.awaitLatestStatus(source.id, "healthy", WAIT)).isEqualTo("healthy");
        sql(source, "CREATE TABLE items (id int PRIMARY KEY, note varchar(64)) ENGINE=InnoDB",
                "INSERT INTO items SELECT seq, MD5(seq) FROM seq_1_to_20000",
                "CREATE TABLE notes (n varchar(20)) ENGINE=MyISAM",
                "INSERT INTO notes VALUES ('myisam-1'), ('myisam-2')",
                "CREATE TABLE gone (g int PRIMARY KEY) ENGINE=InnoDB",
                "INSERT INTO gone VALUES (1), (2)");
        int beatsBefore = bed.conductor.heartbeats(source.id).size();

        Taken full = completedBackup(null);

        List<RecordingConductor.BackupUpdate> updates = bed.conductor.backupUpdates(full.id());
        assertThat(updates.get(0).state()).isEqualTo("BUILDING");
        assertThat(full.outcome().args().get("backup_type").asText()).isEqualTo("full");
        String object = full.id() + ".xbstream.zst.enc";
        assertThat(full.outcome().args().get("location").asText())
                .isEqualTo("http://store.test/v1/AUTH_test/" + CONTAINER + "/" + object);
        DirectoryBackupStore store = store();
        assertThat(store.isManifest(object)).isTrue();
        assertThat(store.names().stream().filter(n -> n.startsWith(object + "_"))).hasSizeGreaterThan(1);
        Map<String, String> metadata = store.metadata(object);
        assertThat(metadata.get("lsn")).matches("\\d+");
        assertThat(metadata).containsEntry("backup-type", "full").doesNotContainKey("parent-location");
        // the database kept running and the heartbeat went on; no password or option file was left behind
        // (a backup can end within one report interval: the next heartbeat is awaited, not assumed)
        assertThat(bed.conductor.awaitHeartbeat(source.id, h -> h.status().equals("healthy"), beatsBefore, WAIT))
                .isEqualTo("healthy");
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(tmp.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("trove-guestagent-mariabackup-"));
        }
    }

    @Test
    @Order(2)
    void incrementalsOnTheFullBackupAndOnEachOtherStoreTheirParentAndTheirOwnLsn() throws Exception {
        sql(source, "INSERT INTO items SELECT seq, 'second' FROM seq_20001_to_21000",
                "UPDATE items SET note = 'changed' WHERE id <= 10",
                "DELETE FROM items WHERE id BETWEEN 100 AND 199",
                "INSERT INTO notes VALUES ('myisam-3')",
                "CREATE TABLE later (l varchar(10)) ENGINE=Aria",
                "INSERT INTO later VALUES ('aria-1')");
        Taken first = completedBackup(chain.get(0));

        sql(source, "INSERT INTO items SELECT seq, 'third' FROM seq_21001_to_21500",
                "DROP TABLE gone",
                "ALTER TABLE items ADD COLUMN extra int NOT NULL DEFAULT 7",
                "DELETE FROM notes WHERE n = 'myisam-1'",
                "INSERT INTO later VALUES ('aria-2')");
        Taken second = completedBackup(first);

        for (Taken incremental : List.of(first, second)) {
            Taken parent = chain.get(chain.indexOf(incremental) - 1);
            assertThat(incremental.outcome().args().get("backup_type").asText()).isEqualTo("incremental");
            Map<String, String> metadata = store().metadata(incremental.object());
            assertThat(metadata).containsEntry("parent-location", parent.location())
                    .containsEntry("parent-checksum", parent.checksum()).containsEntry("backup-type", "incremental");
            assertThat(metadata.get("lsn")).matches("\\d+");
            assertThat(Long.parseLong(metadata.get("lsn")))
                    .isGreaterThanOrEqualTo(Long.parseLong(store().metadata(parent.object()).get("lsn")));
        }
        // an incremental holds the changes only
        assertThat(first.outcome().args().get("size").asDouble())
                .isLessThanOrEqualTo(chain.get(0).outcome().args().get("size").asDouble());
        assertThat(chain.get(2).rows().get("items")).hasSize(21_400).contains("1|changed|7");
        assertThat(chain.get(2).rows()).containsOnlyKeys("items", "notes", "later");
    }

    @Test
    @Order(3)
    void eachBackupOfTheChainRestoresIntoAFreshInstanceWithExactlyTheRowsOfItsMoment() throws Exception {
        for (Taken taken : chain) {
            MariaDbInstance instance = restored(taken);
            assertThat(snapshot(instance, "s3cret-Pass")).as("restored " + taken.id()).isEqualTo(taken.rows());
            // the agent's own login works with this instance's password, from this machine only
            String password = Files.readString(instance.dataDir.resolve("os_admin.cnf")).lines()
                    .filter(l -> l.startsWith("password")).findFirst().orElseThrow().split("=", 2)[1].strip();
            assertThat(password).isNotEqualTo(Files.readString(source.dataDir.resolve("os_admin.cnf")).lines()
                    .filter(l -> l.startsWith("password")).findFirst().orElseThrow().split("=", 2)[1].strip());
            try (Connection c = instance.connect(null, "os_admin", password)) {
                assertThat(MariaDbInstance.rows(c, "SELECT Host FROM mysql.user WHERE User = 'os_admin'"))
                        .containsExactlyInAnyOrder("localhost", "127.0.0.1", "::1");
                assertThat(MariaDbInstance.rows(c, "SELECT @@bind_address")).containsExactly(instance.bindHost);
            }
            // root as it was in the backup (Trove does not enable root on a restore)
            try (Connection c = instance.connect(null, "root", "r00t-Pass")) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThat(instance.dataDir.resolve("data.incremental")).doesNotExist();
            try (Stream<Path> files = Files.list(instance.dataDir.resolve("data"))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .noneMatch(n -> n.startsWith("xtrabackup_") || n.equals("backup-my.cnf"));
            }
            instance.cleanUp();
        }
    }

    @Test
    @Order(4)
    void aRestoredInstanceIsItselfBackedUp() throws Exception {
        Taken last = chain.get(chain.size() - 1);
        MariaDbInstance instance = restored(last);
        String full = UUID.randomUUID().toString();
        RecordingConductor.BackupUpdate outcome = backup(instance, full, null);
        assertThat(outcome.state()).as(outcome.args().toString()).isEqualTo("COMPLETED");
        instance.cleanUp();
    }

    @Test
    @Order(5)
    void aFlippedByteInAPartOfTheChainFailsTheRestoreOnThatPartsChecksumAndLeavesAnEmptyDatadir()
            throws Exception {
        Taken middle = chain.get(1);
        Path segment = store().file(middle.object() + "_00000001");
        flipMiddleByte(segment);
        try {
            MariaDbInstance broken = newInstance("mariadb", null);
            bed.transport.predeclare(Topics.guest(broken.id), broken.id);
            guest(broken).cast(context("tok-broken"), "prepare", prepareArgs(broken, restoreInfo(chain.get(2))));
            start(broken);

            RecordingConductor.Fault fault = bed.conductor.awaitFault(broken.id, WAIT);
            assertThat(fault).isNotNull();
            assertThat(fault.message()).startsWith("Backup " + middle.id() + " failed its checksum");
            assertThat(bed.conductor.awaitLatestStatus(broken.id, "failed to spawn", WAIT))
                    .isEqualTo("failed to spawn");
            assertThat(broken.portOpen()).isFalse();
            try (Stream<Path> files = Files.list(broken.dataDir.resolve("data"))) {
                assertThat(files.toList()).isEmpty();
            }
            assertThat(broken.dataDir.resolve("data.incremental")).doesNotExist();
        } finally {
            flipMiddleByte(segment);
        }
    }

    private static void flipMiddleByte(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = raf.length() / 2;
            raf.seek(middle);
            int b = raf.read();
            raf.seek(middle);
            raf.write(b ^ 0x01);
        }
    }

    @Test
    @Order(6)
    void theBackupAccountGetsBackAPrivilegeTakenFromIt() throws Exception {
        try (Connection c = source.connect(null, "root", "r00t-Pass"); Statement s = c.createStatement()) {
            s.execute("REVOKE RELOAD, BINLOG MONITOR ON *.* FROM 'os_admin'@'localhost'");
        }
        Taken after = completedBackup(null);
        try (Connection c = source.connect(null, "root", "r00t-Pass")) {
            assertThat(MariaDbInstance.rows(c, "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES "
                    + "WHERE GRANTEE = \"'os_admin'@'localhost'\"")).contains("RELOAD", "BINLOG MONITOR");
        }
        assertThat(after.outcome().args().get("backup_type").asText()).isEqualTo("full");
    }

    @Test
    @Order(7)
    void aToolThatFailsOrIsKilledMakesTheBackupFailedWithItsReasonAndLeavesNoObject() throws Exception {
        Path mode = bed.base.resolve("mariabackup.mode");
        Path wrapper = bed.base.resolve("mariabackup-wrapper");
        // the real tool, logging in as someone else or cut off in the middle of its stream
        Files.writeString(wrapper, """
                #!/bin/sh
                case "$(cat %s)" in
                  denied) exec /usr/bin/mariabackup "$@" --user=nobody ;;
                  killed) /usr/bin/mariabackup "$@" | head -c 300000; kill -KILL $$ ;;
                esac
                """.formatted(mode));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        source.stopAgent();
        Path conf = source.configDir.resolve("trove-guestagent.conf");
        Files.writeString(conf, Files.readString(conf).replace("[mariadb]\n", "[mariadb]\nmariabackup = " + wrapper
                + "\n"));
        start(source);

        Files.writeString(mode, "denied");
        String denied = UUID.randomUUID().toString();
        RecordingConductor.BackupUpdate outcome = backup(source, denied, null);
        assertThat(outcome.state()).isEqualTo("FAILED");
        assertThat(outcome.args().get("failure_reason").asText()).isEqualTo("mariabackup failed (exit 1): Failed to "
                + "connect to MariaDB server: Access denied for user 'nobody'@'localhost' (using password: YES).");

        Files.writeString(mode, "killed");
        String killed = UUID.randomUUID().toString();
        outcome = backup(source, killed, chain.get(chain.size() - 1));
        assertThat(outcome.state()).isEqualTo("FAILED");
        assertThat(outcome.args().get("backup_type").asText()).isEqualTo("incremental");
        assertThat(outcome.args().get("failure_reason").asText()).startsWith("mariabackup failed (killed by signal 9)");

        assertThat(store().names()).noneMatch(n -> n.startsWith(denied) || n.startsWith(killed));
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(tmp.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("trove-guestagent-mariabackup-"));
        }
    }

    @Test
    @Order(8)
    void anIncrementalOnABackupWithoutAnLsnAndABackupOfAStoppedServerFailSayingWhy() throws Exception {
        DirectoryBackupStore store = store();
        String foreign = UUID.randomUUID().toString();
        Files.write(store.file(foreign + ".tar.gz.enc"), new byte[16]);
        Files.writeString(store.file(foreign + ".tar.gz.enc.meta"), "{\"Backup-Type\": \"full\"}");
        Taken noLsn = new Taken(foreign, new RecordingConductor.BackupUpdate(source.id, source.id, foreign,
                PythonJson.object().put("location", SWIFT_URL + "/" + CONTAINER + "/" + foreign + ".tar.gz.enc")
                        .put("checksum", "0123456789abcdef0123456789abcdef")),
                Map.of());
        String orphan = UUID.randomUUID().toString();
        RecordingConductor.BackupUpdate outcome = backup(source, orphan, noLsn);
        assertThat(outcome.state()).isEqualTo("FAILED");
        assertThat(outcome.args().get("failure_reason").asText()).isEqualTo("the parent backup has no usable Lsn "
                + "metadata (none): it was not taken by mariabackup");

        guest(source).call(RpcContext.service(), "stop_db", PythonJson.object(), WAIT);
        String stopped = UUID.randomUUID().toString();
        outcome = backup(source, stopped, null);
        assertThat(outcome.state()).isEqualTo("FAILED");
        assertThat(outcome.args().get("failure_reason").asText())
                .isEqualTo("The server is not running: a backup needs the database up");
        assertThat(store.names()).noneMatch(n -> n.startsWith(orphan) || n.startsWith(stopped));
    }

    @Test
    @Order(9)
    void aBackupBeforeThePrepareIsRefusedSayingSo() throws Exception {
        MariaDbInstance unprepared = newInstance("mariadb", null);
        start(unprepared);
        String early = UUID.randomUUID().toString();
        RecordingConductor.BackupUpdate outcome = backup(unprepared, early, null);
        assertThat(outcome.state()).isEqualTo("FAILED");
        assertThat(outcome.args().get("failure_reason").asText())
                .isEqualTo("Cannot back up: the datastore has not been prepared");
    }

    @Test
    @Order(10)
    void anOracleMySqlServerIsRefusedSayingItNeedsXtraBackup() throws Exception {
        Path mysqld = bed.base.resolve("oracle-mysqld");
        Files.writeString(mysqld, """
                #!/bin/sh
                echo "mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)"
                """);
        Files.setPosixFilePermissions(mysqld, PosixFilePermissions.fromString("rwxr-xr-x"));
        MariaDbInstance mysql = newInstance("mysql", "mysqld = " + mysqld);
        bed.transport.predeclare(Topics.guest(mysql.id), mysql.id);
        guest(mysql).cast(context("tok-mysql"), "prepare", prepareArgs(mysql, restoreInfo(chain.get(0))));
        start(mysql);

        RecordingConductor.Fault fault = bed.conductor.awaitFault(mysql.id, WAIT);
        assertThat(fault).isNotNull();
        assertThat(fault.message()).isEqualTo("Restoring backup " + chain.get(0).id() + " failed: Backups of MySQL "
                + "servers need Percona XtraBackup, which this guest agent does not run: only MariaDB servers are "
                + "backed up and restored (with mariabackup)");
    }
}
