package org.trovej.conductor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.common.crypto.TroveCrypto;
import org.trovej.common.json.PythonJson;
import org.trovej.common.pitr.LogShipment;
import org.trovej.common.pitr.PointInTime;
import org.trovej.common.rpc.ConductorGuestSerializer;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcSerializer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.Topics;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.service.pitr.RestorePlan;
import org.trovej.service.pitr.RestorePoints;
import org.trovej.service.pitr.RestoreWindow;
import org.trovej.testsupport.ControlPlaneRows;
import org.trovej.testsupport.SpringTestProperties;

/** The conductor as a guest sees it: casts on the real broker, results in the real database. */
@SpringBootTest(classes = ConductorApplication.class)
class ConductorTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringTestProperties.register(registry);
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    RpcTransport transport;
    @Autowired
    RpcClient client;
    @Autowired
    InstanceKeyStore keys;
    @Autowired
    ConductorServer conductor;
    @Autowired
    RestorePoints restorePoints;

    private ControlPlaneRows rows;
    private String versionId;

    @BeforeEach
    void seed() {
        rows = new ControlPlaneRows(dataSource);
        versionId = rows.datastoreVersion("postgresql", "16");
    }

    /** An instance with its own key, as the API will create it. */
    private Guest keyedGuest() {
        String id = UUID.randomUUID().toString();
        InstanceKeyStore.NewKey key = keys.newKey();
        rows.instance(id, "tenant-a", versionId, key.sealed());
        return new Guest(id, new ConductorGuestSerializer(key.key(), id));
    }

    private Guest plainGuest() {
        String id = UUID.randomUUID().toString();
        rows.instance(id, "tenant-a", versionId, null);
        return new Guest(id, RpcSerializer.plain());
    }

    private final class Guest {
        final String id;
        final RpcClient.Target target;

        Guest(String id, RpcSerializer serializer) {
            this.id = id;
            this.target = client.target(Topics.CONDUCTOR, "1.0", serializer);
        }

        void heartbeat(String status, double sent) {
            heartbeat(status, sent, null);
        }

        /** With TroveJ's {@code volume_used} (GB) in the payload, when not null. */
        void heartbeat(String status, double sent, Double volumeUsed) {
            ObjectNode args = PythonJson.object();
            args.put("instance_id", id);
            ObjectNode payload = args.putObject("payload").put("service_status", status);
            if (volumeUsed != null) {
                payload.put("volume_used", volumeUsed);
            }
            args.put("sent", sent);
            target.cast(RpcContext.service(), "heartbeat", args);
        }

        void cast(String method, ObjectNode args) {
            args.put("instance_id", id);
            target.cast(RpcContext.service(), method, args);
        }
    }

    private Map<String, Object> status(String instanceId) {
        return jdbc.queryForMap("SELECT status_id, status_description, sent, updated_at, volume_used "
                + "FROM service_statuses "
                + "WHERE instance_id = ?", instanceId);
    }

    private static <T> T eventually(Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            sleep(50);
            value = probe.get();
        }
        return value;
    }

    /** Waits until the conductor has taken everything sent so far off its queue and acknowledged it. */
    private void drained() {
        eventually(() -> {
            try (Channel ch = transport.newChannel()) {
                com.rabbitmq.client.AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(Topics.CONDUCTOR);
                return ok.getMessageCount();
            } catch (Exception e) {
                return -1;
            }
        }, n -> n == 0);
        long handled = conductor.server().handledCount();
        eventually(() -> conductor.server().handledCount(), n -> n == handled);
        sleep(300);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void encryptedHeartbeatIsRecordedWithItsSentStamp() {
        Guest guest = keyedGuest();
        guest.heartbeat("healthy", 1795582479.4027817);
        Map<String, Object> row = eventually(() -> status(guest.id), r -> "healthy".equals(r.get("status_description")));
        assertThat(row.get("status_id")).isEqualTo(0x21);
        assertThat((Double) row.get("sent")).isEqualTo(1795582479.4027817);
        assertThat(row.get("updated_at")).isNotNull();
    }

    @Test
    void anOlderHeartbeatNeverOverwritesANewerOne() {
        Guest guest = keyedGuest();
        guest.heartbeat("shutdown", 2000.5);
        eventually(() -> status(guest.id), r -> "shutdown".equals(r.get("status_description")));
        guest.heartbeat("healthy", 1000.25); // sent earlier, delivered later
        guest.heartbeat("running", 2000.5);  // same stamp: not newer either
        drained();
        assertThat(status(guest.id)).containsEntry("status_description", "shutdown").containsEntry("sent", 2000.5);
        guest.heartbeat("healthy", 3000.0);
        eventually(() -> status(guest.id), r -> "healthy".equals(r.get("status_description")));
    }

    @Test
    void theVolumeUsedOfTroveJsGuestIsKeptAndAHeartbeatWithoutItKeepsTheLastFigure() {
        Guest guest = keyedGuest();
        guest.heartbeat("healthy", 100.0, 0.42);
        Map<String, Object> row = eventually(() -> status(guest.id), r -> r.get("volume_used") != null);
        assertThat(row.get("volume_used")).isEqualTo(0.42);
        // a Trove guest sends only the status; an older heartbeat changes nothing
        guest.heartbeat("shutdown", 200.0);
        eventually(() -> status(guest.id), r -> "shutdown".equals(r.get("status_description")));
        guest.heartbeat("healthy", 150.0, 9.0);
        drained();
        assertThat(status(guest.id)).containsEntry("status_description", "shutdown").containsEntry("volume_used", 0.42);
        // a negative or non-numeric figure is no figure
        guest.heartbeat("healthy", 300.0, -1.0);
        eventually(() -> status(guest.id), r -> "healthy".equals(r.get("status_description")));
        assertThat(status(guest.id)).containsEntry("volume_used", 0.42);
    }

    @Test
    void restartRequiredIsKeptUntilTheControlPlaneClearsIt() {
        Guest guest = keyedGuest();
        jdbc.update("UPDATE service_statuses SET status_id = 32, status_description = 'restart required' "
                + "WHERE instance_id = ?", guest.id);
        guest.heartbeat("healthy", 10.0);
        drained();
        assertThat(status(guest.id)).containsEntry("status_description", "restart required");
    }

    @Test
    void aPlaintextInstanceMayHeartbeatInTheClear() {
        Guest guest = plainGuest();
        guest.heartbeat("running", 5.0);
        assertThat(eventually(() -> status(guest.id), r -> "running".equals(r.get("status_description"))))
                .containsEntry("status_id", 1);
    }

    @Test
    void noInstanceCanSpeakForAnother() {
        Guest victim = keyedGuest();
        Guest attacker = keyedGuest();
        // sealed with the attacker's own key but claiming to be the victim
        ObjectNode args = PythonJson.object();
        args.putObject("payload").put("service_status", "failed to spawn");
        args.put("sent", 99.0);
        args.put("instance_id", victim.id);
        attacker.target.cast(RpcContext.service(), "heartbeat", args);
        // and in the clear, for an instance that has a key
        client.target(Topics.CONDUCTOR, "1.0", RpcSerializer.plain())
                .cast(RpcContext.service(), "heartbeat", args);
        drained();
        assertThat(status(victim.id)).containsEntry("status_description", "new");
    }

    @Test
    void unknownStatusesAndUnreadableMessagesChangeNothing() throws Exception {
        Guest guest = keyedGuest();
        guest.heartbeat("fine-ish", 1.0);
        try (Channel raw = transport.newChannel()) {
            raw.basicPublish(transport.exchange(), Topics.CONDUCTOR, null, "garbage".getBytes(StandardCharsets.UTF_8));
        }
        drained();
        assertThat(status(guest.id)).containsEntry("status_description", "new");
        guest.heartbeat("healthy", 2.0); // and the conductor is still consuming
        eventually(() -> status(guest.id), r -> "healthy".equals(r.get("status_description")));
    }

    @Test
    void theHeartbeatCapturedFromTroveIsRecorded() throws Exception {
        JsonNode fixture = org.trovej.testsupport.SharedFixtures.load("heartbeat-encrypted.json");
        String id = fixture.get("instance_id").asText();
        jdbc.update("DELETE FROM instances WHERE id = ?", id);
        rows.instance(id, "tenant-a", versionId, keys.seal(fixture.get("instance_key").asText()));
        try (Channel raw = transport.newChannel()) {
            raw.basicPublish(transport.exchange(), Topics.CONDUCTOR, null,
                    fixture.get("body").asText().getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Object> row = eventually(() -> status(id), r -> "healthy".equals(r.get("status_description")));
        assertThat((Double) row.get("sent")).isEqualTo(fixture.get("decrypted_args").get("sent").doubleValue());
    }

    /** A guest's {@code log_shipped} call, answered (sealed with the guest's key) once recorded. */
    private void shipped(Guest guest, LogShipment shipment) {
        ObjectNode args = PythonJson.object();
        args.put("instance_id", guest.id);
        args.put("sent", 1.0);
        args.set("shipment", shipment.toWire());
        guest.target.call(RpcContext.service(), "log_shipped", args, Duration.ofSeconds(15));
    }

    private LogShipment piece(Guest guest, String first, String last, Instant cut, boolean afterGap) {
        return new LogShipment("http://store/v1/AUTH_tenant-a/database_backups/" + guest.id + ".log." + first + "-"
                + last,
                "md5-" + last, first, last, cut, 100, afterGap);
    }

    @Test
    void shippedLogIsRecordedAndReadBackAsTheRestorableWindowAndARestorePlan() {
        Guest guest = keyedGuest();
        String base = UUID.randomUUID().toString();
        rows.backup(base, guest.id, "tenant-a", "COMPLETED");
        rows.execute("UPDATE backups SET log_position = '000000010000000000000002' WHERE id = ?", base);
        Instant ended = jdbc.queryForObject("SELECT updated FROM backups WHERE id = ?", java.sql.Timestamp.class, base)
                .toLocalDateTime().toInstant(java.time.ZoneOffset.UTC);
        Instant cut1 = ended.plusSeconds(10);
        Instant cut2 = ended.plusSeconds(30);
        assertThat(restorePoints.window(guest.id)).as("nothing shipped yet").isEmpty();

        shipped(guest, piece(guest, "000000010000000000000002", "000000010000000000000003", cut1, false));
        shipped(guest, LogShipment.idle("000000010000000000000003", ended.plusSeconds(20)));
        shipped(guest, piece(guest, "000000010000000000000004", "000000010000000000000004", cut2, false));
        shipped(guest, LogShipment.idle("000000010000000000000003", ended.plusSeconds(99))); // stale: not the newest

        assertThat(restorePoints.window(guest.id)).contains(new RestoreWindow(ended, cut2));
        RestorePlan beforeCut = restorePoints.plan(guest.id, cut1.minusSeconds(1)).orElseThrow();
        assertThat(beforeCut.baseBackupId()).isEqualTo(base);
        assertThat(beforeCut.pointInTime().restoreTime()).isEqualTo(cut1.minusSeconds(1));
        assertThat(beforeCut.logLocations()).containsExactly(piece(guest, "000000010000000000000002",
                "000000010000000000000003", cut1, false).location());
        // nothing was written between the first cut and 20 s after the base: the first piece's end is that moment
        RestorePlan idle = restorePoints.plan(guest.id, ended.plusSeconds(15)).orElseThrow();
        assertThat(idle.pointInTime().restoreTime()).isNull();
        assertThat(idle.pointInTime().logs()).hasSize(1);
        RestorePlan later = restorePoints.plan(guest.id, ended.plusSeconds(25)).orElseThrow();
        assertThat(later.pointInTime().restoreTime()).isEqualTo(ended.plusSeconds(25));
        assertThat(later.pointInTime().logs()).extracting(PointInTime.LogObject::checksum)
                .containsExactly("md5-000000010000000000000003", "md5-000000010000000000000004");
        assertThat(restorePoints.plan(guest.id, cut2.plusSeconds(1))).as("after the window").isEmpty();
        assertThat(restorePoints.plan(guest.id, ended.minusSeconds(1))).as("before the window").isEmpty();

        // a piece after a gap starts a new run, which no backup continues yet: no window until the next backup
        shipped(guest, piece(guest, "000000010000000000000009", "000000010000000000000009", ended.plusSeconds(40),
                true));
        assertThat(restorePoints.window(guest.id)).isEmpty();
        String next = UUID.randomUUID().toString();
        rows.backup(next, guest.id, "tenant-a", "COMPLETED");
        rows.execute("UPDATE backups SET log_position = '000000010000000000000009', updated = ? WHERE id = ?",
                java.sql.Timestamp.valueOf(java.time.LocalDateTime.ofInstant(ended.plusSeconds(35),
                        java.time.ZoneOffset.UTC)), next);
        assertThat(restorePoints.window(guest.id)).contains(new RestoreWindow(ended.plusSeconds(35),
                ended.plusSeconds(40)));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM log_shipments WHERE instance_id = ?", Integer.class,
                guest.id)).isEqualTo(3);

        // a guest may only name its own shipped log: restores are granted reads of it, and pruning deletes it
        LogShipment foreign = new LogShipment("http://store/v1/AUTH_tenant-a/database_backups/" + base + ".tar.gz",
                "x", "00000001000000000000000A", "00000001000000000000000A", ended.plusSeconds(50), 1, false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> shipped(guest, foreign))
                .hasMessageContaining("is not instance " + guest.id + "'s shipped log");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM log_shipments WHERE instance_id = ?", Integer.class,
                guest.id)).isEqualTo(3);
    }

    @Test
    void backupProgressIsCopiedOntoTheBackupInOrder() {
        Guest guest = keyedGuest();
        Guest other = keyedGuest();
        String backupId = UUID.randomUUID().toString();
        rows.backup(backupId, guest.id, "tenant-a", "NEW");

        ObjectNode building = PythonJson.object();
        building.put("backup_id", backupId);
        building.put("sent", 100.0);
        building.put("state", "BUILDING");
        guest.cast("update_backup", building);
        eventually(() -> backup(backupId).get("state"), "BUILDING"::equals);

        ObjectNode completed = PythonJson.object();
        completed.put("backup_id", backupId);
        completed.put("sent", 200.0);
        completed.put("state", "COMPLETED");
        completed.put("size", 0.25);
        completed.put("checksum", "0123abcd");
        completed.put("location", "swift://database_backups/" + backupId + ".gz.enc");
        completed.put("backup_type", "full");
        completed.put("log_position", "000000010000000000000005");
        completed.put("success", true);
        guest.cast("update_backup", completed);
        Map<String, Object> row = eventually(() -> backup(backupId), r -> "COMPLETED".equals(r.get("state")));
        assertThat(row).containsEntry("size", 0.25).containsEntry("checksum", "0123abcd")
                .containsEntry("backup_type", "full")
                .containsEntry("location", "swift://database_backups/" + backupId + ".gz.enc");
        assertThat(jdbc.queryForObject("SELECT log_position FROM backups WHERE id = ?", String.class, backupId))
                .as("TroveJ's guest says where its log continues").isEqualTo("000000010000000000000005");

        ObjectNode stale = PythonJson.object();
        stale.put("backup_id", backupId);
        stale.put("sent", 150.0);
        stale.put("state", "FAILED");
        guest.cast("update_backup", stale);
        ObjectNode foreign = PythonJson.object();
        foreign.put("backup_id", backupId);
        foreign.put("sent", 300.0);
        foreign.put("state", "FAILED");
        other.cast("update_backup", foreign); // not this instance's backup
        drained();
        assertThat(backup(backupId)).containsEntry("state", "COMPLETED");
    }

    @Test
    void aFailedBackupKeepsTheGuestsReason() {
        Guest guest = keyedGuest();
        String backupId = UUID.randomUUID().toString();
        rows.backup(backupId, guest.id, "tenant-a", "BUILDING");

        ObjectNode failed = PythonJson.object();
        failed.put("backup_id", backupId);
        failed.put("sent", 100.0);
        failed.put("state", "FAILED");
        failed.put("failure_reason", "pg_basebackup exited with 1: could not connect");
        guest.cast("update_backup", failed);

        Map<String, Object> row = eventually(() -> jdbc.queryForMap(
                "SELECT state, failure_reason FROM backups WHERE id = ?", backupId), r -> "FAILED".equals(r.get("state")));
        assertThat(row).containsEntry("state", "FAILED")
                .containsEntry("failure_reason", "pg_basebackup exited with 1: could not connect");

        ObjectNode completed = PythonJson.object();
        completed.put("backup_id", backupId);
        completed.put("sent", 200.0);
        completed.put("state", "COMPLETED");
        guest.cast("update_backup", completed);
        row = eventually(() -> jdbc.queryForMap("SELECT state, failure_reason FROM backups WHERE id = ?", backupId),
                r -> "COMPLETED".equals(r.get("state")));
        assertThat(row).as("a later success keeps no stale reason").containsEntry("state", "COMPLETED")
                .containsEntry("failure_reason", null);
    }

    @Test
    void rootReportsAndGuestFaultsAreRecorded() {
        Guest guest = keyedGuest();
        guest.cast("report_root", PythonJson.object());
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM root_enabled_history WHERE instance_id = ?",
                Integer.class, guest.id), n -> n == 1);

        ObjectNode fault = PythonJson.object();
        fault.putObject("serialized_notification").put("instance_id", guest.id);
        fault.put("message", "prepare failed: initdb exited with 1");
        fault.putArray("exception").add("Traceback (most recent call last):\n").add("OSError: disk full\n");
        guest.cast("notify_exc_info", fault);
        Map<String, Object> row = eventually(() -> jdbc.queryForList(
                "SELECT message, details FROM instance_faults WHERE instance_id = ?", guest.id),
                l -> !l.isEmpty()).get(0);
        assertThat(row.get("message")).isEqualTo("prepare failed: initdb exited with 1");
        assertThat((String) row.get("details")).startsWith("Server type: guest\n").contains("OSError: disk full");
    }

    private Map<String, Object> backup(String id) {
        return jdbc.queryForMap("SELECT state, size, checksum, location, backup_type FROM backups WHERE id = ?", id);
    }
}
