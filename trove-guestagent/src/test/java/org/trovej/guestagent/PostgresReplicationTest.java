package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
 * PostgreSQL streaming replication of real PostgreSQL 15 clusters through the agents' RPC API, as Trove's task
 * manager drives it: a source with rows takes a replication snapshot (a stored backup and the replica context),
 * writes a lot more and recycles its WAL, and two replicas prepared from the snapshot still catch up, are hot
 * standbys (reads work, writes are refused, heartbeats say healthy) and follow the source's new rows; then the
 * task manager's promote sequence makes one replica the source, the sibling follows it and the old source is
 * rewound into a replica of it, without losing a row committed before; then, the new source's database gone, an
 * eject promotes the most advanced remaining replica and the other follows it. No password reaches the agents' log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresReplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration CALL = Duration.ofSeconds(120);
    private static final String SWIFT_URL = "http://store.test/v1/AUTH_tenant-1";
    private static final String USER_PASSWORD = "s3cret-Pass";
    private static final String ROOT_PASSWORD = "r00t-Pass";

    private GuestTestBed bed;
    private final List<GuestInstance> instances = new ArrayList<>();
    private GuestInstance source;
    private GuestInstance replica1;
    private GuestInstance replica2;
    private ObjectNode snapshot;
    private RecordingConductor.BackupUpdate snapshotBackup;
    /** Rows 1..rows exist on the current source. */
    private int rows;

    @BeforeAll
    void setUp() throws Exception {
        bed = new GuestTestBed("repl", true);
    }

    @AfterAll
    void tearDown() throws Exception {
        instances.forEach(GuestInstance::cleanUp);
        if (bed != null) {
            bed.close();
        }
    }

    private GuestInstance newInstance() throws Exception {
        GuestInstance instance = new GuestInstance(bed.base, bed.exchange, 1, null, true);
        instances.add(instance);
        bed.conductor.register(instance.id, instance.key);
        bed.configureBackups(instance.configDir, instance.id, "test-replication-key");
        bed.transport.predeclare(Topics.guest(instance.id), instance.id);
        return instance;
    }

    private void start(GuestInstance instance) {
        instance.startAgent(agent -> agent.manager().useBackupStores(bed.directoryStores((url, token, c) -> { })));
    }

    private RpcClient.Target guest(GuestInstance instance) {
        return bed.taskManager.target(Topics.guest(instance.id), "1.3", new SecureSerializer(instance.key));
    }

    private static RpcContext context() {
        return RpcContext.user("u1", "tenant-1", false).with("auth_token", "tok-repl");
    }

    private JsonNode call(GuestInstance instance, String method, Object... pairs) {
        return guest(instance).call(context(), method, GuestRpc.values(pairs), CALL);
    }

    private ObjectNode prepareArgs(GuestInstance instance, ObjectNode backupInfo, ObjectNode replicaSnapshot) {
        ObjectNode args = PythonJson.object();
        args.putArray("packages");
        args.putArray("databases").addObject().put("_name", "appdb");
        ObjectNode user = args.putArray("users").addObject();
        user.put("_name", "appuser");
        user.put("_password", USER_PASSWORD);
        user.put("_host", "%");
        user.putArray("_databases").addObject().put("_name", "appdb");
        args.put("memory_mb", 256);
        args.putNull("device_path");
        args.put("mount_point", instance.dataDir.toString());
        if (backupInfo == null) {
            args.putNull("backup_info");
            args.put("root_password", ROOT_PASSWORD);
        } else {
            args.set("backup_info", backupInfo);
            args.putNull("root_password");
            // Trove's task manager adds the rendered replica configuration to the snapshot it passes on
            replicaSnapshot.put("config", "max_connections = 100\n");
            args.set("snapshot", replicaSnapshot);
        }
        args.putNull("config_contents");
        args.putNull("overrides");
        args.put("ds_version", "15");
        return args;
    }

    // ---- SQL as users ------------------------------------------------------------------------------------------

    private static void sql(GuestInstance instance, String... statements) throws SQLException {
        try (Connection c = instance.connect("appdb", "appuser", USER_PASSWORD); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static void asRoot(GuestInstance instance, String... statements) throws SQLException {
        try (Connection c = instance.connect("postgres", "root", ROOT_PASSWORD); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static String rootQuery(GuestInstance instance, String query) throws SQLException {
        try (Connection c = instance.connect("postgres", "root", ROOT_PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Adds rows rows+1..rows+n on {@code instance} (the current source). */
    private void addRows(GuestInstance instance, int n) throws SQLException {
        sql(instance, "INSERT INTO items SELECT g, md5(g::text) FROM generate_series(" + (rows + 1) + ", "
                + (rows + n) + ") g");
        rows += n;
    }

    private static long count(GuestInstance instance) throws SQLException {
        try (Connection c = instance.connect("appdb", "appuser", USER_PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), coalesce(max(id), 0), "
                     + "count(*) FILTER (WHERE note = md5(id::text)) FROM items")) {
            rs.next();
            assertThat(rs.getLong(3)).as("every row's value").isEqualTo(rs.getLong(1));
            assertThat(rs.getLong(2)).as("ids are 1..count").isEqualTo(rs.getLong(1));
            return rs.getLong(1);
        }
    }

    /** Bounded polling until {@code instance} has exactly {@code expected} rows. */
    private static void awaitRows(GuestInstance instance, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = count(instance);
            if (seen == expected) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(seen).as("rows on " + instance.bindHost).isEqualTo(expected);
    }

    private static void assertWriteRefused(GuestInstance instance) {
        assertThatThrownBy(() -> sql(instance, "INSERT INTO items VALUES (-1, 'nope')"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
    }

    /** Bounded polling until {@code instance} has {@code expected} rows written after the promote (id -3). */
    private static void awaitStray(GuestInstance instance, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            try (Connection c = instance.connect("appdb", "appuser", USER_PASSWORD); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM items WHERE id = -3")) {
                rs.next();
                seen = rs.getLong(1);
            }
            if (seen == expected) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(seen).as("stray rows on " + instance.bindHost).isEqualTo(expected);
    }

    private static String agentPassword(GuestInstance instance) throws Exception {
        return Files.readString(instance.dataDir.resolve("os_admin.cnf")).lines()
                .filter(l -> l.startsWith("password")).findFirst().orElseThrow().split("=", 2)[1].strip();
    }

    private static boolean inRecovery(GuestInstance instance) throws SQLException {
        return "t".equals(rootQuery(instance, "SELECT pg_is_in_recovery()"));
    }

    private void assertHealthy(GuestInstance instance) throws Exception {
        int from = bed.conductor.heartbeats(instance.id).size();
        assertThat(bed.conductor.awaitHeartbeat(instance.id, h -> h.status().equals("healthy"), from, WAIT))
                .as("a fresh heartbeat of " + instance.bindHost).isEqualTo("healthy");
    }

    // ---- the tests -----------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aSnapshotOfASourceIsABackupAndTheContextReplicasConnectWith() throws Exception {
        source = newInstance();
        guest(source).cast(context(), "prepare", prepareArgs(source, null, null));
        start(source);
        assertThat(bed.conductor.awaitLatestStatus(source.id, "healthy", WAIT)).isEqualTo("healthy");
        sql(source, "CREATE TABLE items (id int PRIMARY KEY, note text)");
        addRows(source, 1000);

        String snapshotId = UUID.randomUUID().toString();
        // what Trove's task manager sends (get_replication_master_snapshot)
        ObjectNode info = GuestRpc.values("name", "Replication snapshot for replica", "description",
                "Backup image used to initialize replication slave", "instance_id", source.id, "parent_id", null,
                "tenant_id", "tenant-1", "state", "NEW", "datastore_version_id", UUID.randomUUID().toString(),
                "deleted", false, "replica_number", 1, "storage_driver", "swift", "id", snapshotId,
                "datastore", "postgresql", "datastore_version", "15", "swift_url", SWIFT_URL, "parent", null);
        info.putObject("backup_info");
        long started = System.nanoTime();
        JsonNode answer = call(source, "get_replication_snapshot", "snapshot_info", info,
                "replica_source_config", "wal_level = replica\n");
        System.out.printf("get_replication_snapshot took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        snapshot = (ObjectNode) answer;

        assertThat(snapshot.path("dataset").path("snapshot_id").asText()).isEqualTo(snapshotId);
        assertThat(snapshot.path("dataset").path("datastore_manager").asText()).isEqualTo("postgresql");
        assertThat(snapshot.path("replication_strategy").asText()).isEqualTo("PostgresqlReplicationStreaming");
        assertThat(snapshot.path("master").path("host").asText()).isEqualTo(source.bindHost);
        assertThat(snapshot.path("master").path("port").asInt()).isEqualTo(5432);
        JsonNode user = snapshot.path("replica_conf").path("replication_user");
        assertThat(user.path("name").asText()).isEqualTo("replicator");
        assertThat(user.path("password").asText()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(snapshot.path("replica_conf").path("log_position").path("seed_slot").asText())
                .startsWith("trove_seed_");
        // the agent's own password is not in the snapshot (the control plane keeps snapshots): the backup has it
        assertThat(snapshot.toString()).doesNotContain(agentPassword(source));
        snapshotBackup = bed.conductor.awaitBackupOutcome(snapshotId, WAIT);
        assertThat(snapshotBackup).isNotNull();
        assertThat(snapshotBackup.state()).isEqualTo("COMPLETED");
        // the replication role streams, and is no user of the API
        assertThat(rootQuery(source, "SELECT rolreplication::text || rolsuper::text FROM pg_roles WHERE rolname = "
                + "'replicator'")).isEqualTo("truefalse");
        JsonNode users = call(source, "list_users", "limit", null, "marker", null, "include_marker", false);
        assertThat(users.get(0).toString()).doesNotContain("replicator").doesNotContain("os_admin");
        // an idempotent second enable changes nothing
        call(source, "enable_as_master", "replica_source_config", "");
        assertThat(call(source, "get_replica_context").path("replica_conf").path("replication_user")
                .path("password").asText()).isEqualTo(user.path("password").asText());
    }

    @Test
    @Order(2)
    void replicasPreparedFromTheSnapshotCatchUpAfterTheSourceRecycledItsWalAndRefuseWrites() throws Exception {
        // between the backup and the replicas' first connection the source writes and recycles its WAL segments:
        // only the snapshot's seed slot keeps what the replicas need
        String walBefore = rootQuery(source, "SELECT pg_walfile_name(pg_current_wal_lsn())");
        for (int i = 0; i < 3; i++) {
            addRows(source, 2000);
            asRoot(source, "SELECT pg_switch_wal()", "CHECKPOINT");
        }
        assertThat(rootQuery(source, "SELECT pg_walfile_name(pg_current_wal_lsn())")).isGreaterThan(walBefore);

        RestoreInfo restore = new RestoreInfo(snapshotBackup.backupId(), source.id, snapshotBackup.args()
                .get("location").asText().replace("AUTH_test", "AUTH_tenant-1"), "full",
                snapshotBackup.args().get("checksum").asText(), "swift", SWIFT_URL);
        replica1 = newInstance();
        replica2 = newInstance();
        long started = System.nanoTime();
        for (GuestInstance replica : List.of(replica1, replica2)) {
            guest(replica).cast(context(), "prepare", prepareArgs(replica, restore.toWire(), snapshot.deepCopy()));
            start(replica);
        }
        for (GuestInstance replica : List.of(replica1, replica2)) {
            assertThat(bed.conductor.awaitLatestStatus(replica.id, "healthy", WAIT)).as(replica.bindHost)
                    .isEqualTo("healthy");
            assertThat(bed.conductor.faults(replica.id)).isEmpty();
        }
        System.out.printf("two replicas prepared in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        for (GuestInstance replica : List.of(replica1, replica2)) {
            awaitRows(replica, rows);
            assertThat(inRecovery(replica)).isTrue();
            assertWriteRefused(replica);
            assertThat(rootQuery(replica, "SELECT status FROM pg_stat_wal_receiver")).isEqualTo("streaming");
            // no password in the standby's settings: a passfile outside PGDATA
            String conninfo = rootQuery(replica, "SHOW primary_conninfo");
            assertThat(conninfo).contains("passfile=").doesNotContain("password");
            // its agent logs in (with its source agent's password) and reports the replica healthy
            assertThat(agentPassword(replica)).isEqualTo(agentPassword(source));
            assertHealthy(replica);
            JsonNode last = call(replica, "get_last_txn");
            assertThat(last.get(0).asText()).isEqualTo(source.bindHost + ":5432");
            assertThat(last.get(1).isIntegralNumber()).isTrue();
        }
        // each replica streams through its own slot on the source; the seed still waits for more replicas
        assertThat(rootQuery(source, "SELECT string_agg(slot_name || ':' || active, ',' ORDER BY slot_name) FROM "
                + "pg_replication_slots WHERE slot_name LIKE 'trove_replica_%'")).isEqualTo(
                List.of(replica1, replica2).stream().map(r -> "trove_replica_" + r.id.replace('-', '_') + ":true")
                        .sorted().reduce((a, b) -> a + "," + b).orElseThrow());

        addRows(source, 500);
        String sourceLsn = call(source, "get_latest_txn_id").asText();
        assertThat(sourceLsn).matches("[0-9A-F]+/[0-9A-F]+");
        for (GuestInstance replica : List.of(replica1, replica2)) {
            call(replica, "wait_for_txn", "txn", sourceLsn);
            assertThat(count(replica)).isEqualTo(rows);
        }
    }

    @Test
    @Order(3)
    void aReplicaFromAnIncrementalSnapshotReplaysTheArchivedWalThenStreamsAndCanBeDetachedForGood()
            throws Exception {
        // Trove's task manager makes the snapshot an incremental on the source's last backup when it has one
        addRows(source, 250);
        String snapshotId = UUID.randomUUID().toString();
        ObjectNode info = GuestRpc.values("name", "Replication snapshot for replica 3", "instance_id", source.id,
                "parent_id", snapshotBackup.backupId(), "tenant_id", "tenant-1", "state", "NEW", "deleted", false,
                "replica_number", 1, "storage_driver", "swift", "id", snapshotId, "datastore", "postgresql",
                "datastore_version", "15", "swift_url", SWIFT_URL);
        info.putObject("backup_info");
        ObjectNode parent = info.putObject("parent");
        parent.put("location", snapshotBackup.args().get("location").asText().replace("AUTH_test", "AUTH_tenant-1"));
        parent.put("checksum", snapshotBackup.args().get("checksum").asText());
        ObjectNode incremental = (ObjectNode) call(source, "get_replication_snapshot", "snapshot_info", info,
                "replica_source_config", "");
        RecordingConductor.BackupUpdate stored = bed.conductor.awaitBackupOutcome(snapshotId, WAIT);
        assertThat(stored.state()).isEqualTo("COMPLETED");
        assertThat(stored.args().get("backup_type").asText()).isEqualTo("incremental");
        addRows(source, 250);

        GuestInstance replica3 = newInstance();
        RestoreInfo restore = new RestoreInfo(snapshotId, source.id, stored.args().get("location").asText()
                .replace("AUTH_test", "AUTH_tenant-1"), "incremental", stored.args().get("checksum").asText(),
                "swift", SWIFT_URL);
        guest(replica3).cast(context(), "prepare", prepareArgs(replica3, restore.toWire(), incremental));
        start(replica3);
        assertThat(bed.conductor.awaitLatestStatus(replica3.id, "healthy", WAIT)).isEqualTo("healthy");
        assertThat(bed.conductor.faults(replica3.id)).isEmpty();
        awaitRows(replica3, rows);
        assertThat(inRecovery(replica3)).isTrue();
        assertWriteRefused(replica3);
        addRows(source, 10);
        awaitRows(replica3, rows);

        // detached for good (Trove's detach-replica): promoted, writable, its slot on the source dropped
        call(replica3, "detach_replica", "for_failover", false);
        assertThat(inRecovery(replica3)).isFalse();
        sql(replica3, "INSERT INTO items VALUES (-5, md5('-5'))");
        assertThat(rootQuery(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'trove_replica_"
                + replica3.id.replace('-', '_') + "'")).isEqualTo("0");
        call(replica3, "restart");
        assertThat(inRecovery(replica3)).isFalse();
        assertThat(count(source)).isEqualTo(rows);
    }

    @Test
    @Order(4)
    void promoteToReplicaSourceAsTheTaskManagerRunsItLosesNoRow() throws Exception {
        GuestInstance oldSource = source;
        GuestInstance candidate = replica1;
        GuestInstance sibling = replica2;
        // a user session open across make_read_only, and rows committed just before it
        Connection open = oldSource.connect("appdb", "appuser", USER_PASSWORD);
        addRows(oldSource, 300);
        long started = System.nanoTime();

        call(oldSource, "make_read_only", "read_only", true);
        assertWriteRefused(oldSource);
        try (Statement s = open.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO items VALUES (-2, 'late')"))
                    .isInstanceOf(SQLException.class);
        } finally {
            open.close();
        }
        String txn = call(oldSource, "get_latest_txn_id").asText();
        call(candidate, "wait_for_txn", "txn", txn);
        call(candidate, "detach_replica", "for_failover", true);
        call(candidate, "enable_as_master", "replica_source_config", "");
        call(candidate, "make_read_only", "read_only", false);
        JsonNode context = call(candidate, "get_replica_context");
        assertThat(context.path("master").path("host").asText()).isEqualTo(candidate.bindHost);
        assertThat(context.path("replica_conf").path("log_position").path("timeline").asInt()).isEqualTo(2);
        // a superuser can still write on the read-only old source (an explicit read-write transaction), and the
        // sibling, still streaming from it, replays that: it is now past where the new source left timeline 1
        try (Connection c = oldSource.connect("appdb", "root", ROOT_PASSWORD); Statement s = c.createStatement()) {
            s.execute("BEGIN READ WRITE");
            s.execute("INSERT INTO items VALUES (-3, 'written after the promote')");
            s.execute("COMMIT");
        }
        awaitStray(sibling, 1);
        // the sibling: detach (for failover: it is not promoted, it would fork) then attach to the new source
        call(sibling, "detach_replica", "for_failover", true);
        assertThat(inRecovery(sibling)).isTrue();
        call(sibling, "attach_replica", "replica_info", context, "slave_config", "", "restart", true);
        call(oldSource, "attach_replica", "replica_info", context, "slave_config", "", "restart", false);
        call(oldSource, "demote_replication_master");
        System.out.printf("promote sequence took %d ms%n", (System.nanoTime() - started) / 1_000_000);

        source = candidate;
        replica1 = oldSource;
        assertThat(inRecovery(candidate)).isFalse();
        assertThat(inRecovery(sibling)).isTrue();
        assertThat(inRecovery(oldSource)).isTrue();
        // no row committed on the old source before the promote is lost; what it took after it is not replicated
        // (the sibling and the old source were rewound to the new source)
        for (GuestInstance instance : List.of(candidate, sibling, oldSource)) {
            awaitStray(instance, 0);
        }
        assertThat(count(candidate)).isEqualTo(rows);
        addRows(candidate, 700);
        for (GuestInstance replica : List.of(sibling, oldSource)) {
            awaitRows(replica, rows);
            assertWriteRefused(replica);
            assertThat(rootQuery(replica, "SELECT status FROM pg_stat_wal_receiver")).isEqualTo("streaming");
            assertHealthy(replica);
            assertThat(call(replica, "get_last_txn").get(0).asText()).isEqualTo(candidate.bindHost + ":5432");
        }
        assertHealthy(candidate);
        assertThat(call(candidate, "get_last_txn").get(0).isNull()).isTrue();
        // the old source is a standby with its own settings, not the new source's
        assertThat(rootQuery(oldSource, "SHOW listen_addresses")).isEqualTo(oldSource.bindHost);
        assertThat(rootQuery(oldSource, "SHOW default_transaction_read_only")).isEqualTo("off");
        // the new source keeps WAL for its two replicas; the old one kept no slot
        assertThat(rootQuery(candidate, "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name LIKE "
                + "'trove_replica_%'")).isEqualTo("2");
        assertThat(rootQuery(oldSource, "SELECT count(*) FROM pg_replication_slots")).isEqualTo("0");
        // a restart of the new source keeps it a source
        call(candidate, "restart");
        assertThat(inRecovery(candidate)).isFalse();
    }

    @Test
    @Order(5)
    void ejectPromotesTheMostAdvancedReplicaAndTheOtherFollowsIt() throws Exception {
        GuestInstance dead = source;
        addRows(dead, 400);
        String txn = call(dead, "get_latest_txn_id").asText();
        for (GuestInstance replica : List.of(replica1, replica2)) {
            call(replica, "wait_for_txn", "txn", txn);
        }
        // the source's server dies: its agent with it (else the agent would start the database again)
        dead.stopAgent();
        dead.killDatabase();
        long started = System.nanoTime();
        // the task manager's choice: the highest get_last_txn position (a number: comparable)
        GuestInstance candidate = null;
        long best = -1;
        for (GuestInstance replica : List.of(replica1, replica2)) {
            JsonNode last = call(replica, "get_last_txn");
            assertThat(last.get(0).asText()).isEqualTo(dead.bindHost + ":5432");
            if (last.get(1).asLong() > best) {
                best = last.get(1).asLong();
                candidate = replica;
            }
        }
        GuestInstance other = candidate == replica1 ? replica2 : replica1;
        call(candidate, "detach_replica", "for_failover", true);
        call(candidate, "enable_as_master", "replica_source_config", "");
        call(candidate, "make_read_only", "read_only", false);
        JsonNode context = call(candidate, "get_replica_context");
        call(other, "detach_replica", "for_failover", true);
        call(other, "attach_replica", "replica_info", context, "slave_config", "", "restart", false);
        System.out.printf("eject sequence took %d ms%n", (System.nanoTime() - started) / 1_000_000);

        assertThat(inRecovery(candidate)).isFalse();
        assertThat(count(candidate)).isEqualTo(rows);
        addRows(candidate, 100);
        awaitRows(other, rows);
        assertWriteRefused(other);
        assertHealthy(candidate);
        assertHealthy(other);
    }

    @Test
    @Order(6)
    void aReplicaDetachedForGoodIsWritableAndItsSlotIsDropped() throws Exception {
        GuestInstance newSource = inRecovery(replica1) ? replica2 : replica1;
        GuestInstance replica = newSource == replica1 ? replica2 : replica1;
        call(replica, "detach_replica", "for_failover", false);
        assertThat(inRecovery(replica)).isFalse();
        sql(replica, "INSERT INTO items VALUES (-5, md5('-5'))");
        assertThat(rootQuery(newSource, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'trove_replica_"
                + replica.id.replace('-', '_') + "'")).isEqualTo("0");
        call(replica, "restart");
        assertThat(inRecovery(replica)).isFalse();
    }

    @Test
    @Order(7)
    void noPasswordReachesTheAgentsLog() throws Exception {
        String logged = bed.capturedStderr();
        assertThat(logged).contains("Promoted").contains("Streaming from");
        String replicationPassword = snapshot.path("replica_conf").path("replication_user").path("password").asText();
        String agentPassword = agentPassword(source);
        assertThat(replicationPassword).isNotEmpty();
        assertThat(agentPassword).isNotEmpty();
        assertThat(logged).doesNotContain(replicationPassword).doesNotContain(agentPassword)
                .doesNotContain(USER_PASSWORD).doesNotContain(ROOT_PASSWORD);
        for (GuestInstance instance : instances) {
            Path serverLog = instance.dataDir.resolve("postgresql.log");
            if (Files.exists(serverLog)) {
                assertThat(Files.readString(serverLog)).doesNotContain(replicationPassword)
                        .doesNotContain(agentPassword);
            }
        }
    }
}
