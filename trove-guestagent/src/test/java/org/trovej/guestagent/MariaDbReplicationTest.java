package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;

/**
 * MariaDB GTID replication of Debian's real MariaDB through the agent's RPC API, as Trove's task manager drives
 * it: a source's {@code get_replication_snapshot} (a mariabackup backup in a directory store), two replicas
 * prepared from it that get the rows written before and after the snapshot and refuse users' writes; the promote
 * sequence of a replica while rows are being committed on the source, after which nothing committed is lost and the
 * new source's writes reach its sibling and the old source (read-only, also after a restart); then an eject: the
 * source's server gone, the most advanced replica by {@code get_last_txn} becomes the source and the other follows
 * it, getting what it lacked. No password ever appears in the agents' log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbReplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration CALL = Duration.ofSeconds(150);
    private static final String SWIFT_URL = "http://store.test/v1/AUTH_tenant-1";
    private static final String USER_PASSWORD = "s3cret-Pass";
    private static final String ROOT_PASSWORD = "r00t-Pass";
    /** The server's error for a write refused by read_only (ER_OPTION_PREVENTS_STATEMENT). */
    private static final int READ_ONLY_ERROR = 1290;

    private GuestTestBed bed;
    private final List<MariaDbInstance> instances = new ArrayList<>();
    /** Every password handed out or used: none may appear in the log. */
    private final List<String> secrets = new CopyOnWriteArrayList<>(List.of(USER_PASSWORD, ROOT_PASSWORD));
    private MariaDbInstance source;
    private MariaDbInstance replica1;
    private MariaDbInstance replica2;
    private ObjectNode snapshot;
    private RestoreInfo restore;
    /** The ids committed on the source by the writer of the promote test. */
    private final List<Integer> committed = new CopyOnWriteArrayList<>();
    /** The replica that followed the new source after the eject. */
    private MariaDbInstance ejectFollower;

    @BeforeAll
    void setUp() throws Exception {
        bed = new GuestTestBed("mrepl", true);
    }

    @AfterAll
    void tearDown() throws Exception {
        instances.forEach(MariaDbInstance::cleanUp);
        if (bed != null) {
            bed.close();
        }
    }

    private MariaDbInstance newInstance() throws Exception {
        MariaDbInstance instance = new MariaDbInstance(bed.base, bed.exchange, "mariadb", null);
        instances.add(instance);
        bed.conductor.register(instance.id, instance.key);
        bed.configureBackups(instance.configDir, instance.id, "test-repl-key");
        bed.transport.predeclare(Topics.guest(instance.id), instance.id);
        return instance;
    }

    private void start(MariaDbInstance instance) {
        instance.startAgent(agent -> agent.manager().useBackupStores(bed.directoryStores((url, token, c) -> { })));
    }

    private RpcClient.Target guest(MariaDbInstance instance) {
        return bed.taskManager.target(Topics.guest(instance.id), "1.3", new SecureSerializer(instance.key));
    }

    private static RpcContext context() {
        return RpcContext.user("u1", "tenant-1", false).with("auth_token", "tok-repl");
    }

    private JsonNode call(MariaDbInstance instance, String method, Object... pairs) {
        return guest(instance).call(context(), method, GuestRpc.values(pairs), CALL);
    }

    /** Trove's get_replica_context, remembering the password it hands out. */
    private JsonNode replicaContext(MariaDbInstance instance) {
        JsonNode ctx = call(instance, "get_replica_context");
        secrets.add(ctx.path("replica_conf").path("replication_user").path("password").asText());
        return ctx;
    }

    private static ObjectNode prepareArgs(MariaDbInstance instance) {
        ObjectNode args = PythonJson.object();
        args.putArray("packages");
        args.putArray("databases");
        args.putArray("users");
        args.put("memory_mb", 256);
        args.putNull("device_path");
        args.put("mount_point", instance.dataDir.toString());
        args.putNull("backup_info");
        args.putNull("root_password");
        args.putNull("config_contents");
        args.putNull("overrides");
        args.putNull("cluster_config");
        args.putNull("snapshot");
        args.put("ds_version", "10.11");
        return args;
    }

    private static void sql(MariaDbInstance instance, String... statements) throws SQLException {
        try (Connection c = instance.connect("appdb", "appuser", USER_PASSWORD); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Every table of appdb with its rows in order. */
    private static Map<String, List<String>> contents(MariaDbInstance instance) throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        try (Connection c = instance.connect("appdb", "appuser", USER_PASSWORD)) {
            for (String table : MariaDbInstance.rows(c, "SHOW TABLES")) {
                tables.put(table, MariaDbInstance.rows(c, "SELECT CONCAT_WS('|', id, note) FROM " + table
                        + " ORDER BY id"));
            }
        }
        return tables;
    }

    /** Polls until every replica holds exactly what {@code from} holds (bounded); returns that. */
    private static Map<String, List<String>> awaitSameContents(MariaDbInstance from, MariaDbInstance... replicas)
            throws Exception {
        Map<String, List<String>> expected = contents(from);
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (MariaDbInstance replica : replicas) {
            Map<String, List<String>> actual = contents(replica);
            while (!actual.equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                actual = contents(replica);
            }
            assertThat(actual).as("the contents of " + replica.id).isEqualTo(expected);
        }
        return expected;
    }

    private static void assertUserWriteRefused(MariaDbInstance instance) {
        assertThatThrownBy(() -> sql(instance, "INSERT INTO items VALUES (-1, 'refused')"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(READ_ONLY_ERROR));
    }

    private static String readOnlyLayer(MariaDbInstance instance) throws IOException {
        return Files.readString(instance.dataDir.resolve("conf.d").resolve("80-replication.cnf"));
    }

    private static String variable(MariaDbInstance instance, String name) throws SQLException {
        try (Connection c = instance.connect(null, "root", ROOT_PASSWORD)) {
            return MariaDbInstance.rows(c, "SELECT @@GLOBAL." + name).get(0);
        }
    }

    private MariaDbInstance prepareReplica(ObjectNode snapshot, RestoreInfo restore) throws Exception {
        MariaDbInstance replica = newInstance();
        ObjectNode args = prepareArgs(replica);
        args.set("backup_info", restore.toWire());
        args.set("snapshot", snapshot);
        guest(replica).cast(context(), "prepare", args);
        start(replica);
        return replica;
    }

    @Test
    @Order(10)
    void replicasPreparedFromTheSnapshotGetTheSourcesRowsAndRefuseUsersWrites() throws Exception {
        long started = System.nanoTime();
        source = newInstance();
        ObjectNode args = prepareArgs(source);
        args.putArray("databases").addObject().put("_name", "appdb");
        ObjectNode user = args.putArray("users").addObject();
        user.put("_name", "appuser");
        user.put("_password", USER_PASSWORD);
        user.put("_host", "%");
        user.putArray("_databases").addObject().put("_name", "appdb");
        args.put("root_password", ROOT_PASSWORD);
        guest(source).cast(context(), "prepare", args);
        start(source);
        assertThat(bed.conductor.awaitLatestStatus(source.id, "healthy", WAIT)).isEqualTo("healthy");
        sql(source, "CREATE TABLE items (id int PRIMARY KEY, note varchar(64)) ENGINE=InnoDB",
                "INSERT INTO items SELECT seq, MD5(seq) FROM seq_1_to_1000");
        assertThat(call(source, "backup_required_for_replication").asBoolean()).isTrue();

        // what Trove's task manager sends (_create_replication_slave), plus the backup fields the guest needs
        String snapshotId = UUID.randomUUID().toString();
        ObjectNode snapshotInfo = PythonJson.object();
        snapshotInfo.put("id", snapshotId);
        snapshotInfo.put("name", "Replication snapshot for replica-1");
        snapshotInfo.put("description", "Backup image used to initialize replication slave");
        snapshotInfo.put("instance_id", source.id);
        snapshotInfo.putNull("parent_id");
        snapshotInfo.putNull("parent");
        snapshotInfo.put("tenant_id", "tenant-1");
        snapshotInfo.put("state", "NEW");
        snapshotInfo.put("datastore", "mariadb");
        snapshotInfo.put("datastore_version", "10.11");
        snapshotInfo.put("datastore_version_id", UUID.randomUUID().toString());
        snapshotInfo.put("deleted", false);
        snapshotInfo.put("replica_number", 1);
        snapshotInfo.put("backup_type", "full");
        snapshotInfo.put("storage_driver", "swift");
        snapshotInfo.put("swift_url", SWIFT_URL);
        snapshot = (ObjectNode) guest(source).call(context(), "get_replication_snapshot",
                GuestRpc.values("snapshot_info", snapshotInfo, "replica_source_config", null), CALL);
        String replicationPassword = snapshot.path("replica_conf").path("replication_user").path("password")
                .asText();
        secrets.add(replicationPassword);

        assertThat(snapshot.path("dataset").path("snapshot_id").asText()).isEqualTo(snapshotId);
        assertThat(snapshot.path("dataset").path("datastore_manager").asText()).isEqualTo("mariadb");
        assertThat(snapshot.path("replication_strategy").asText()).isEqualTo("MariaDBGTIDReplication");
        assertThat(snapshot.path("master").path("host").asText()).isEqualTo(source.bindHost);
        assertThat(snapshot.path("master").path("port").asInt()).isEqualTo(3306);
        assertThat(snapshot.path("replica_conf").path("log_position").path("gtid_pos").asText())
                .matches("0-\\d+-\\d+");
        assertThat(snapshot.path("replica_conf").path("replication_user").path("name").asText())
                .matches("slave_[0-9a-f]{8}");
        assertThat(replicationPassword).hasSizeGreaterThanOrEqualTo(16);
        RecordingConductor.BackupUpdate outcome = bed.conductor.awaitBackupOutcome(snapshotId, WAIT);
        assertThat(outcome).isNotNull();
        assertThat(outcome.state()).as(outcome.args().toString()).isEqualTo("COMPLETED");
        // the replication user may log in from anywhere, and may only replicate
        try (Connection c = source.connect(null, "root", ROOT_PASSWORD)) {
            String name = snapshot.path("replica_conf").path("replication_user").path("name").asText();
            assertThat(MariaDbInstance.rows(c, "SELECT Host FROM mysql.user WHERE User = '" + name + "'"))
                    .containsExactly("%");
            assertThat(MariaDbInstance.rows(c, "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES "
                    + "WHERE GRANTEE = \"'" + name + "'@'%'\"")).containsExactly("REPLICATION SLAVE");
        }

        // rows written after the snapshot's backup come through replication
        sql(source, "INSERT INTO items SELECT seq, 'after-snapshot' FROM seq_1001_to_1100");
        restore = new RestoreInfo(snapshotId, source.id,
                outcome.args().get("location").asText().replace("AUTH_test", "AUTH_tenant-1"), "full",
                outcome.args().get("checksum").asText(), "swift", SWIFT_URL);
        replica1 = prepareReplica(snapshot, restore);
        replica2 = prepareReplica(snapshot, restore);
        for (MariaDbInstance replica : List.of(replica1, replica2)) {
            assertThat(bed.conductor.awaitHeartbeat(replica.id, h -> !h.status().equals("building"), 0, WAIT))
                    .as("faults: " + bed.conductor.faults(replica.id)).isEqualTo("healthy");
            assertThat(bed.conductor.faults(replica.id)).isEmpty();
        }
        Map<String, List<String>> rows = awaitSameContents(source, replica1, replica2);
        assertThat(rows.get("items")).hasSize(1100);

        for (MariaDbInstance replica : List.of(replica1, replica2)) {
            assertThat(Files.readString(replica.dataDir.resolve("conf.d").resolve("90-system.cnf")))
                    .contains("log_bin = mariadb-bin").contains("log_slave_updates = ON")
                    .contains("server_id = " + variable(replica, "server_id"));
            assertThat(replica.dataDir.resolve("data").resolve("mariadb_backup_binlog_info")).exists();
            assertUserWriteRefused(replica);
            assertThat(readOnlyLayer(replica)).contains("read_only = ON");
            assertThat(variable(replica, "read_only")).isEqualTo("1");
            assertThat(variable(replica, "server_id")).isNotEqualTo(variable(source, "server_id"));
            // the agent's own changes (its accounts re-keyed on the restored data) never entered the binlog
            String serverId = variable(replica, "server_id");
            assertThat(variable(replica, "gtid_binlog_pos")).doesNotContain("-" + serverId + "-");
        }
        // new rows on the source reach both
        sql(source, "INSERT INTO items SELECT seq, 'live' FROM seq_1101_to_1200",
                "UPDATE items SET note = 'changed' WHERE id <= 10", "DELETE FROM items WHERE id BETWEEN 500 AND 509");
        assertThat(awaitSameContents(source, replica1, replica2).get("items")).hasSize(1190)
                .contains("1|changed").noneMatch(r -> r.startsWith("505|"));

        JsonNode lastTxn = call(replica1, "get_last_txn");
        assertThat(lastTxn.get(0).asText()).isEqualTo(variable(source, "server_id"));
        assertThat(lastTxn.get(1).asLong()).isEqualTo(Long.parseLong(
                variable(source, "gtid_binlog_pos").replaceAll(".*-", "")));
        assertThat(call(replica1, "get_latest_txn_id").asText()).isEqualTo(variable(source, "gtid_binlog_pos"));
        // a replica reports healthy (the probe does not write)
        int beats = bed.conductor.heartbeats(replica1.id).size();
        assertThat(bed.conductor.awaitHeartbeat(replica1.id, h -> h.status().equals("healthy"), beats, WAIT))
                .isEqualTo("healthy");
        System.out.printf("replication set up in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    @Order(15)
    void aReplicaTheSourceRefusesFailsItsPrepareWithTheReasonWithoutThePassword() throws Exception {
        ObjectNode wrong = snapshot.deepCopy();
        String badPassword = "not-the-Password-42";
        secrets.add(badPassword);
        ((ObjectNode) wrong.path("replica_conf").path("replication_user")).put("password", badPassword);
        long started = System.nanoTime();
        MariaDbInstance refused = prepareReplica(wrong, restore);
        RecordingConductor.Fault fault = bed.conductor.awaitFault(refused.id, WAIT);
        assertThat(fault).isNotNull();
        assertThat(fault.message()).startsWith("Replication stopped: ").contains("Access denied")
                .doesNotContain(badPassword);
        assertThat(bed.conductor.awaitLatestStatus(refused.id, "failed to spawn", WAIT)).isEqualTo("failed to spawn");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        refused.cleanUp();
    }

    @Test
    @Order(20)
    void thePromoteLosesNoCommittedRowAndTheNewSourcesWritesReachItsSiblingAndTheOldSource() throws Exception {
        long started = System.nanoTime();
        MariaDbInstance primary = source;
        MariaDbInstance candidate = replica1;
        MariaDbInstance sibling = replica2;
        sql(primary, "CREATE TABLE stream (id int PRIMARY KEY, note varchar(64)) ENGINE=InnoDB");
        // a client committing rows one by one on the source until it is refused
        AtomicBoolean refused = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (Connection c = primary.connect("appdb", "appuser", USER_PASSWORD);
                 Statement s = c.createStatement()) {
                for (int id = 1; !stop.get(); id++) {
                    try {
                        s.execute("INSERT INTO stream VALUES (" + id + ", 'w')");
                        committed.add(id);
                    } catch (SQLException e) {
                        if (e.getErrorCode() == READ_ONLY_ERROR) {
                            refused.set(true);
                            return;
                        }
                        throw e;
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "writer");
        writer.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (committed.size() < 50 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(committed).hasSizeGreaterThanOrEqualTo(50);

        // Trove's promote_to_replica_source, in its order
        call(primary, "make_read_only", "read_only", true);
        writer.join(WAIT.toMillis());
        stop.set(true);
        assertThat(refused).as("the writer was refused once the source became read-only").isTrue();
        String txn = call(primary, "get_latest_txn_id").asText();
        assertThat(txn).isEqualTo(variable(primary, "gtid_binlog_pos"));
        call(candidate, "wait_for_txn", "txn", txn);
        JsonNode detached = call(candidate, "detach_replica", "for_failover", true);
        assertThat(detached.path("replication_user").asText()).matches("slave_[0-9a-f]{8}");
        call(candidate, "enable_as_master", "replica_source_config", null);
        call(candidate, "make_read_only", "read_only", false);
        call(sibling, "detach_replica", "for_failover", true);
        call(sibling, "attach_replica", "replica_info", replicaContext(candidate), "slave_config", null,
                "restart", true);
        call(primary, "attach_replica", "replica_info", replicaContext(candidate), "slave_config", null,
                "restart", false);
        call(primary, "demote_replication_master");
        System.out.printf("promote sequence in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        // every row committed on the old source is on the new one, and nothing else
        Map<String, List<String>> onCandidate = contents(candidate);
        assertThat(onCandidate.get("stream")).containsExactlyElementsOf(
                committed.stream().sorted().map(id -> id + "|w").toList());
        assertThat(readOnlyLayer(candidate)).doesNotContain("read_only = ON");
        // the new source takes writes; they reach the sibling and the old source
        sql(candidate, "INSERT INTO items SELECT seq, 'after-promote' FROM seq_2001_to_2050",
                "UPDATE stream SET note = 'promoted' WHERE id = 1");
        Map<String, List<String>> rows = awaitSameContents(candidate, sibling, primary);
        assertThat(rows.get("items")).contains("2050|after-promote");
        assertThat(rows.get("stream")).contains("1|promoted").hasSize(committed.size());
        assertUserWriteRefused(primary);
        assertUserWriteRefused(sibling);
        assertThat(readOnlyLayer(primary)).contains("read_only = ON");
        assertThat(call(primary, "get_last_txn").get(0).asText()).isEqualTo(variable(candidate, "server_id"));

        // the old source stays a read-only replica across a restart, and goes on replicating
        call(primary, "restart");
        assertThat(bed.conductor.awaitLatestStatus(primary.id, "healthy", WAIT)).isEqualTo("healthy");
        assertUserWriteRefused(primary);
        sql(candidate, "INSERT INTO items VALUES (3000, 'after-restart')");
        assertThat(awaitSameContents(candidate, sibling, primary).get("items")).contains("3000|after-restart");
        source = candidate;
        replica1 = primary;
        System.out.printf("promote test in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    @Order(30)
    void afterTheSourcesServerIsGoneTheMostAdvancedReplicaBecomesSourceAndTheOtherFollowsIt() throws Exception {
        long started = System.nanoTime();
        MariaDbInstance gone = source;
        MariaDbInstance behind = replica1;
        MariaDbInstance ahead = replica2;
        // one replica loses its connection to the source (it still names it); the source commits more; then the
        // source's server dies
        try (Connection c = behind.connect(null, "root", ROOT_PASSWORD); Statement s = c.createStatement()) {
            s.execute("STOP SLAVE");
        }
        sql(gone, "INSERT INTO items SELECT seq, 'before-eject' FROM seq_4001_to_4010",
                "INSERT INTO items SELECT seq, 'before-eject' FROM seq_4011_to_4020",
                "DELETE FROM items WHERE id = 4001");
        Map<String, List<String>> last = contents(gone);
        awaitSameContents(gone, ahead);
        gone.stopAgent();
        gone.killDatabase();

        // Trove's eject: the replicas' last transactions, all from the same source; the highest one wins
        JsonNode aheadTxn = call(ahead, "get_last_txn");
        JsonNode behindTxn = call(behind, "get_last_txn");
        assertThat(aheadTxn.get(0)).isEqualTo(behindTxn.get(0));
        assertThat(aheadTxn.get(0).asText()).isNotEqualTo(variable(ahead, "server_id"));
        assertThat(aheadTxn.get(1).asLong()).isEqualTo(behindTxn.get(1).asLong() + 3);
        MariaDbInstance candidate = aheadTxn.get(1).asLong() > behindTxn.get(1).asLong() ? ahead : behind;
        MariaDbInstance other = candidate == ahead ? behind : ahead;
        call(candidate, "detach_replica", "for_failover", true);
        call(candidate, "enable_as_master", "replica_source_config", null);
        call(candidate, "make_read_only", "read_only", false);
        call(other, "detach_replica", "for_failover", true);
        call(other, "attach_replica", "replica_info", replicaContext(candidate), "slave_config", null,
                "restart", true);

        // the other gets what it lacked from the new source, then the new source's writes
        assertThat(contents(candidate)).isEqualTo(last);
        sql(candidate, "INSERT INTO items VALUES (5000, 'after-eject')");
        assertThat(awaitSameContents(candidate, other).get("items")).contains("4020|before-eject",
                "5000|after-eject");
        assertUserWriteRefused(other);
        ejectFollower = other;
        System.out.printf("eject test in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    @Order(40)
    void aPlainDetachLeavesAWritableDatabaseOfItsOwnAlsoAfterARestart() throws Exception {
        MariaDbInstance follower = ejectFollower;
        assertThat(follower).isNotNull();
        JsonNode info = call(follower, "detach_replica", "for_failover", false);
        assertThat(info.path("replication_user").asText()).matches("slave_[0-9a-f]{8}");
        sql(follower, "INSERT INTO items VALUES (6000, 'own')");
        call(follower, "restart");
        assertThat(bed.conductor.awaitLatestStatus(follower.id, "healthy", WAIT)).isEqualTo("healthy");
        sql(follower, "INSERT INTO items VALUES (6001, 'own')");
        assertThat(contents(follower).get("items")).contains("6000|own", "6001|own");
        assertThat(call(follower, "get_last_txn").get(0).isNull()).isTrue();
    }

    @Test
    @Order(50)
    void noPasswordAppearsInTheAgentsLog() {
        String log;
        log = bed.capturedStderr();
        assertThat(log).contains("Replication user slave_");
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(5);
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
        }
        for (MariaDbInstance instance : instances) {
            try {
                String serverLog = Files.readString(instance.dataDir.resolve("mariadb.log"));
                for (String secret : secrets) {
                    assertThat(serverLog).doesNotContain(secret);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
