package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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

/**
 * Point-in-time restore of a real MariaDB through the agent's RPC API, with the objects in a directory store: after
 * a full backup the agent is cast {@code set_log_shipping} and ships its binary log every second while rows are
 * written one by one, 1.5 s apart; a fresh instance given the backup, the shipped files and a whole second between
 * two rows has exactly the rows committed before it (binlog events carry whole seconds); without a moment, every
 * row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbPointInTimeTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String KEY = "test-pitr-key-8";
    private static final String SWIFT_URL = "http://store.test/v1/AUTH_tenant-1";

    private GuestTestBed bed;
    private final List<MariaDbInstance> instances = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        bed = new GuestTestBed("mpitr", false);
    }

    @AfterAll
    void tearDown() throws Exception {
        instances.forEach(MariaDbInstance::cleanUp);
        if (bed != null) {
            bed.close();
        }
    }

    private RpcClient.Target guest(MariaDbInstance instance) {
        return bed.taskManager.target(Topics.guest(instance.id), "1.1", new SecureSerializer(instance.key));
    }

    private static RpcContext context(String token) {
        return RpcContext.user("u1", "tenant-1", false).with("auth_token", token);
    }

    private MariaDbInstance prepared(ObjectNode backupInfo) throws Exception {
        MariaDbInstance instance = new MariaDbInstance(bed.base, bed.exchange, "mariadb", null);
        instances.add(instance);
        bed.conductor.register(instance.id, instance.key);
        bed.configureBackups(instance.configDir, instance.id, KEY);
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
        args.put("ds_version", "10.11");
        bed.transport.predeclare(Topics.guest(instance.id), instance.id);
        guest(instance).cast(context("tok-prepare"), "prepare", args);
        instance.startAgent(agent -> agent.manager().useBackupStores(bed.directoryStores((url, token, c) -> {
        })));
        assertThat(bed.conductor.awaitLatestStatus(instance.id, "healthy", WAIT)).isEqualTo("healthy");
        assertThat(bed.conductor.faults(instance.id)).isEmpty();
        return instance;
    }

    private static Instant now(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT UTC_TIMESTAMP(6)")) {
            rs.next();
            return rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
    }

    private static List<String> rows(MariaDbInstance instance) throws Exception {
        try (Connection c = instance.connect("appdb", "appuser", "s3cret-Pass")) {
            return MariaDbInstance.rows(c, "SELECT n FROM events ORDER BY n");
        }
    }

    private static String location(String reported) {
        return reported.replace("AUTH_test", "AUTH_tenant-1");
    }

    @Test
    void aRestoreToASecondBetweenTwoCommitsHasExactlyTheRowsCommittedBeforeIt() throws Exception {
        MariaDbInstance source = prepared(null);
        try (Connection c = source.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (n int PRIMARY KEY)");
            s.execute("INSERT INTO events VALUES (1), (2), (3)");
        }
        String backupId = UUID.randomUUID().toString();
        ObjectNode backupArgs = PythonJson.object();
        backupArgs.set("backup_info", new BackupRequest(backupId, "base", null, source.id, "full", null, null,
                "mariadb", "10.11", "swift", null, SWIFT_URL).toWire());
        guest(source).cast(context("tok-backup"), "create_backup", backupArgs);
        RecordingConductor.BackupUpdate backup = bed.conductor.awaitBackupOutcome(backupId, WAIT);
        assertThat(backup.state()).as(backup.args().toString()).isEqualTo("COMPLETED");
        String basePosition = backup.args().path("log_position").asText();
        assertThat(basePosition).as("the backup names its binlog file").matches("mariadb-bin\\.[0-9]{6}");

        ObjectNode shipping = PythonJson.object();
        shipping.set("shipping", new LogShippingTarget(SWIFT_URL, "database_backups", source.id + ".log.", 1)
                .toWire());
        guest(source).cast(context("tok-shipping"), "set_log_shipping", shipping);

        List<Instant> before = new ArrayList<>();
        List<Instant> after = new ArrayList<>();
        try (Connection c = source.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            for (int n = 4; n <= 9; n++) {
                before.add(now(s));
                s.execute("INSERT INTO events VALUES (" + n + ")");
                after.add(now(s));
                Thread.sleep(1500);
            }
        }
        List<LogShipment> stored = bed.conductor.awaitShippedAfter(source.id, after.get(after.size() - 1), WAIT)
                .stream().filter(LogShipment::stored).toList();
        assertThat(stored).isNotEmpty();
        assertThat(stored.get(0).firstPosition()).isEqualTo(basePosition);
        assertThat(stored).allSatisfy(s -> assertThat(s.afterGap()).isFalse());
        List<PointInTime.LogObject> logs = stored.stream()
                .map(s -> new PointInTime.LogObject(location(s.location()), s.checksum())).toList();

        // the first whole second after row 6 was committed, before row 7 was
        Instant moment = after.get(2).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        assertThat(moment).isBefore(before.get(3));
        MariaDbInstance atMoment = prepared(restoreInfo(backup, source.id, new PointInTime(moment, logs)));
        assertThat(rows(atMoment)).containsExactly("1", "2", "3", "4", "5", "6");

        MariaDbInstance atEnd = prepared(restoreInfo(backup, source.id, new PointInTime(null, logs)));
        assertThat(rows(atEnd)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    private static ObjectNode restoreInfo(RecordingConductor.BackupUpdate backup, String sourceId,
                                          PointInTime pointInTime) {
        return new RestoreInfo(backup.backupId(), sourceId, location(backup.args().get("location").asText()),
                "full", backup.args().get("checksum").asText(), "swift", SWIFT_URL, pointInTime).toWire();
    }
}
