package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.json.PythonJson;
import org.trovej.common.pitr.LogShipment;
import org.trovej.common.pitr.LogShippingTarget;
import org.trovej.common.pitr.PointInTime;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.guestagent.backup.DirectoryBackupStore;

/**
 * Point-in-time restore of a real PostgreSQL 15 through the agent's RPC API, as the task manager drives it, with
 * the objects in a directory store: after a full backup the agent is cast {@code set_log_shipping} and ships its WAL
 * every second (encrypted, checksummed, each piece recorded through {@code log_shipped}) while rows are written
 * one by one with their commit moments; a fresh instance given the backup, the shipped pieces and a moment between
 * two rows has exactly the rows up to that moment; with the pieces but no moment (the database was idle after
 * the last piece), it has every row. An idle database ships nothing new and only moves the window's end on; a
 * {@code set_log_shipping} without a target stops the shipping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPointInTimeTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String KEY = "test-pitr-key-7";
    private static final String SWIFT_URL = "http://store.test/v1/AUTH_tenant-1";

    private GuestTestBed bed;
    private final List<GuestInstance> instances = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        bed = new GuestTestBed("pitr", false);
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
        bed.configureBackups(instance.configDir, instance.id, KEY);
        return instance;
    }

    private void start(GuestInstance instance) {
        instance.startAgent(agent -> agent.manager().useBackupStores(bed.directoryStores((url, token, container) -> {
        })));
    }

    private RpcClient.Target guest(GuestInstance instance) {
        return bed.taskManager.target(Topics.guest(instance.id), "1.1", new SecureSerializer(instance.key));
    }

    private static RpcContext context(String token) {
        return RpcContext.user("u1", "tenant-1", false).with("auth_token", token);
    }

    private static ObjectNode prepareArgs(GuestInstance instance, ObjectNode backupInfo) {
        ObjectNode args = PythonJson.object();
        args.putArray("packages");
        args.putArray("databases").addObject().put("_name", "appdb");
        ObjectNode user = args.putArray("users").addObject();
        user.put("_name", "appuser");
        user.put("_password", "s3cret-Pass");
        user.put("_host", "%");
        user.putArray("_databases").addObject().put("_name", "appdb");
        args.put("memory_mb", 256);
        args.putNull("device_path");
        args.put("mount_point", instance.dataDir.toString());
        args.set("backup_info", backupInfo == null ? PythonJson.nodes().nullNode() : backupInfo);
        args.put("root_password", "r00t-Pass");
        args.putNull("config_contents");
        args.putNull("overrides");
        args.put("ds_version", "15");
        return args;
    }

    private GuestInstance prepared(ObjectNode backupInfo) throws Exception {
        GuestInstance instance = newInstance();
        bed.transport.predeclare(Topics.guest(instance.id), instance.id);
        guest(instance).cast(context("tok-prepare"), "prepare", prepareArgs(instance, backupInfo));
        start(instance);
        assertThat(bed.conductor.awaitLatestStatus(instance.id, "healthy", WAIT)).isEqualTo("healthy");
        assertThat(bed.conductor.faults(instance.id)).isEmpty();
        return instance;
    }

    /** The test store answers its own account in locations; the guest is given the tenant's. */
    private static String tenantLocation(String location) {
        return location.replace("AUTH_test", "AUTH_tenant-1");
    }

    private static List<String> rows(GuestInstance instance) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = instance.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT n FROM events ORDER BY n")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /** The server's clock now, outside any transaction of the rows. */
    private static Instant now(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    @Test
    void aRestoreToAMomentBetweenTwoCommitsHasExactlyTheRowsCommittedBeforeIt() throws Exception {
        GuestInstance source = prepared(null);
        try (Connection c = source.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (n int PRIMARY KEY)");
            s.execute("INSERT INTO events VALUES (1), (2), (3)");
        }
        String backupId = UUID.randomUUID().toString();
        ObjectNode backupArgs = PythonJson.object();
        backupArgs.set("backup_info", new BackupRequest(backupId, "base", null, source.id, "full", null, null,
                "postgresql", "15", "swift", null, SWIFT_URL).toWire());
        guest(source).cast(context("tok-backup"), "create_backup", backupArgs);
        RecordingConductor.BackupUpdate backup = bed.conductor.awaitBackupOutcome(backupId, WAIT);
        assertThat(backup.state()).as(backup.args().toString()).isEqualTo("COMPLETED");
        String basePosition = backup.args().path("log_position").asText();
        assertThat(basePosition).as("the backup says where its WAL continues").matches("[0-9A-F]{24}");

        ObjectNode shipping = PythonJson.object();
        shipping.set("shipping", new LogShippingTarget(SWIFT_URL, "database_backups", source.id + ".log.", 1)
                .toWire());
        guest(source).cast(context("tok-shipping"), "set_log_shipping", shipping);

        // rows 4..12, each committed on its own, with the server's clock read just before and just after
        List<Instant> before = new ArrayList<>();
        List<Instant> after = new ArrayList<>();
        try (Connection c = source.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            for (int n = 4; n <= 12; n++) {
                before.add(now(c));
                s.execute("INSERT INTO events VALUES (" + n + ")");
                after.add(now(c));
                Thread.sleep(300);
            }
        }
        List<LogShipment> shipped = bed.conductor.awaitShippedAfter(source.id, after.get(after.size() - 1), WAIT);
        List<LogShipment> stored = shipped.stream().filter(LogShipment::stored).toList();
        assertThat(stored.get(0).firstPosition()).as("shipping starts where the backup's WAL ends")
                .isEqualTo(basePosition);
        assertThat(stored).allSatisfy(s -> {
            assertThat(s.afterGap()).isFalse();
            assertThat(s.location()).contains("/database_backups/" + source.id + ".log.").endsWith(".tar.zst.enc");
            assertThat(s.checksum()).matches("[0-9a-f]{32}");
        });
        for (int i = 1; i < stored.size(); i++) {
            assertThat(stored.get(i).firstPosition()).isGreaterThan(stored.get(i - 1).lastPosition());
        }
        assertThat(new DirectoryBackupStore(bed.storeDir, "database_backups").names())
                .anyMatch(name -> name.startsWith(source.id + ".log."));

        // an idle database: the window's end moves on without a new piece
        int storedCount = stored.size();
        Instant idleFrom = Instant.now();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (bed.conductor.shipped(source.id).stream().noneMatch(s -> !s.shipment().stored()
                && s.shipment().restorableUntil().isAfter(idleFrom)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(bed.conductor.shipped(source.id).stream().map(RecordingConductor.Shipped::shipment)
                .filter(s -> !s.stored() && s.restorableUntil().isAfter(idleFrom))).isNotEmpty();

        // after row 8 was committed and before row 9 was
        Instant moment = after.get(4).plus(Duration.between(after.get(4), before.get(5)).dividedBy(2));
        List<PointInTime.LogObject> logs = stored.subList(0, storedCount).stream()
                .map(s -> new PointInTime.LogObject(tenantLocation(s.location()), s.checksum())).toList();
        GuestInstance atMoment = prepared(restoreInfo(backup, source.id, new PointInTime(moment, logs)));
        assertThat(rows(atMoment)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");

        GuestInstance atEnd = prepared(restoreInfo(backup, source.id, new PointInTime(null, logs)));
        assertThat(rows(atEnd)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");

        // without a target the agent stops shipping and forgets where it was (its archive is pruned as before)
        ObjectNode stop = PythonJson.object();
        stop.putNull("shipping");
        guest(source).cast(context("tok-stop"), "set_log_shipping", stop);
        java.nio.file.Path marker = source.dataDir.resolve("wal_archive").resolve(".shipped-through");
        deadline = System.nanoTime() + WAIT.toNanos();
        while (java.nio.file.Files.exists(marker) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(marker).doesNotExist();
        int shippedBefore = bed.conductor.shipped(source.id).size();
        try (Connection c = source.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO events VALUES (13)");
        }
        Thread.sleep(3000);
        assertThat(bed.conductor.shipped(source.id)).hasSize(shippedBefore);
    }

    private static ObjectNode restoreInfo(RecordingConductor.BackupUpdate backup, String sourceId,
                                          PointInTime pointInTime) {
        return new RestoreInfo(backup.backupId(), sourceId, tenantLocation(backup.args().get("location").asText()),
                "full", backup.args().get("checksum").asText(), "swift", SWIFT_URL, pointInTime).toWire();
    }
}
