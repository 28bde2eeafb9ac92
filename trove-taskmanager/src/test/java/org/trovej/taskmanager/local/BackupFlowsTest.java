package org.trovej.taskmanager.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.BackupType;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.service.objectstore.StoreTokens;
import org.trovej.service.taskmanager.TaskManagerClient;
import org.trovej.taskmanager.TaskManagerApplication;
import org.trovej.taskmanager.compute.local.LocalLayout;

/**
 * The task manager's side of backups, from the database's point of view: {@code create_backup} casts the guest
 * with {@code swift_url} and a store grant and holds the instance until the backup leaves NEW/BUILDING/SAVING; a
 * guest that dies or falls silent, or a backup past its timeout, leaves the backup FAILED with the reason; a flow
 * resumed after its task manager died casts again only a backup still NEW. {@code delete_backup} removes the
 * objects and marks the backup deleted, or leaves it DELETE_FAILED with the store's answer.
 * <p>
 * The guest is played by a recorder of its casts on the broker and, for liveness, by a plain process whose command
 * line names the instance's {@code guest_info.conf}, the way the local back end recognises its guest agents; the
 * tests play the guest's reports by writing the backup's state, as the conductor would.
 */
@SpringBootTest(classes = TaskManagerApplication.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupFlowsTest {

    private static final LocalCloud CLOUD = new LocalCloud("backups");
    private static final SwiftStandIn STORE = new SwiftStandIn();
    private static final String PROJECT = "tenant-1";
    private static final String CONTAINER = BackupType.DEFAULT_CONTAINER;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CLOUD.register(registry);
        registry.add("trovej.object-store.url", STORE::url);
        registry.add("trovej.taskmanager.recovery-grace", () -> "1s");
        registry.add("trovej.backup.poll-interval", () -> "300ms");
    }

    @Autowired
    TaskManagerClient taskManager;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    InstanceKeyStore keys;
    @Autowired
    FlavorCatalog flavors;
    @Autowired
    LocalLayout layout;
    @Autowired
    StoreTokens tokens;
    @Autowired
    RpcTransport transport;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    void storeChecksTokens() {
        STORE.checkTokensWith(tokens);
    }

    @AfterEach
    void closeGuests() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        opened.clear();
        STORE.breakDown(false);
    }

    @AfterAll
    void cleanUp() {
        STORE.close();
        CLOUD.deleteState();
    }

    // ------------------------------------------------------------------------------------------------------------
    // create_backup
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void theGuestIsCastWithSwiftUrlAndAGrantAndTheFlowEndsWhenTheBackupDoes() throws Exception {
        Instance instance = liveInstance();
        String backupId = backup(instance.id, "NEW");

        taskManager.createBackup(RpcContext.user("user-1", PROJECT, false), request(instance.id, backupId));

        BackupCastRecorder.Cast cast = instance.casts.next(Duration.ofSeconds(30));
        assertThat(cast).as("create_backup cast to the guest").isNotNull();
        assertThat(cast.args().required("backup_info").path("id").asText()).isEqualTo(backupId);
        assertThat(cast.args().required("backup_info").path("swift_url").asText())
                .isEqualTo(STORE.url() + "/v1/AUTH_" + PROJECT);
        StoreTokens.StoreGrant grant = tokens.verify(cast.context().text("auth_token")).orElseThrow();
        assertThat(grant.allows(PROJECT, CONTAINER, backupId + ".tar.gz.enc")).isTrue();
        assertThat(grant.allows(PROJECT, CONTAINER, backupId + ".tar.gz.enc_00000001")).isTrue();
        assertThat(grant.allows(PROJECT, CONTAINER, UUID.randomUUID() + ".tar.gz.enc")).isFalse();
        assertThat(grant.allows("tenant-2", CONTAINER, backupId + ".tar.gz.enc")).isFalse();

        awaitStep(instance.id, "awaiting_backup");
        assertThat(instanceRow(instance.id)).containsEntry("task_id", 1); // no task: the API shows BACKUP itself
        jdbc.update("UPDATE backups SET state = 'BUILDING' WHERE id = ?", backupId);
        Thread.sleep(1000);
        assertThat(instanceRow(instance.id)).containsEntry("flow_name", "create_backup");

        jdbc.update("UPDATE backups SET state = 'COMPLETED' WHERE id = ?", backupId);
        awaitFlowClosed(instance.id);
        assertThat(backupRow(backupId)).containsEntry("state", "COMPLETED").containsEntry("failure_reason", null);
        assertThat(instance.casts.next(Duration.ofMillis(500))).as("cast once").isNull();
    }

    @Test
    void aGuestWhoseProcessDiesLeavesTheBackupFailedWithTheReason() throws Exception {
        Instance instance = liveInstance();
        String backupId = backup(instance.id, "NEW");
        taskManager.createBackup(RpcContext.user("user-1", PROJECT, false), request(instance.id, backupId));
        assertThat(instance.casts.next(Duration.ofSeconds(30))).isNotNull();
        jdbc.update("UPDATE backups SET state = 'BUILDING' WHERE id = ?", backupId);
        awaitStep(instance.id, "awaiting_backup");

        instance.process.destroyForcibly().waitFor();

        awaitFlowClosed(instance.id);
        Map<String, Object> backup = backupRow(backupId);
        assertThat(backup).containsEntry("state", "FAILED");
        assertThat((String) backup.get("failure_reason"))
                .startsWith("The guest agent was lost during the backup: it is not running (server SHUTDOWN");
    }

    @Test
    void aGuestThatStopsHeartbeatingLeavesTheBackupFailed() throws Exception {
        Instance instance = liveInstance();
        String backupId = backup(instance.id, "NEW");
        taskManager.createBackup(RpcContext.user("user-1", PROJECT, false), request(instance.id, backupId));
        assertThat(instance.casts.next(Duration.ofSeconds(30))).isNotNull();
        awaitStep(instance.id, "awaiting_backup");

        jdbc.update("UPDATE service_statuses SET updated_at = timezone('UTC', now()) - interval '10 minutes' "
                + "WHERE instance_id = ?", instance.id);

        awaitFlowClosed(instance.id);
        assertThat(backupRow(backupId)).containsEntry("state", "FAILED");
        assertThat((String) backupRow(backupId).get("failure_reason")).contains("it sent no heartbeat for");
    }

    @Test
    void aBackupPastTheTimeoutFails() throws Exception {
        Instance instance = liveInstance();
        String backupId = backup(instance.id, "NEW");
        taskManager.createBackup(RpcContext.user("user-1", PROJECT, false), request(instance.id, backupId));
        assertThat(instance.casts.next(Duration.ofSeconds(30))).isNotNull();
        awaitStep(instance.id, "awaiting_backup");

        jdbc.update("UPDATE backups SET state = 'SAVING', created = timezone('UTC', now()) - interval '25 hours' "
                + "WHERE id = ?", backupId);

        awaitFlowClosed(instance.id);
        assertThat(backupRow(backupId)).containsEntry("state", "FAILED");
        assertThat((String) backupRow(backupId).get("failure_reason")).startsWith("The backup timed out: still SAVING");
    }

    /**
     * The API lets a backup in once the previous one is COMPLETED; its flow may still be on the instance until the
     * monitor's next poll (here: left at awaiting_backup by a task manager that is gone, which the monitor never
     * closes). The new backup closes it and starts, rather than failing as "another backup was running".
     */
    @Test
    void aBackupRequestedRightAfterThePreviousEndedStarts() throws Exception {
        Instance instance = liveInstance();
        String previous = backup(instance.id, "COMPLETED");
        leftByADeadTaskManager(instance.id, previous);
        jdbc.update("UPDATE instances SET flow_step = 'awaiting_backup' WHERE id = ?", instance.id);
        String next = backup(instance.id, "NEW");

        taskManager.createBackup(RpcContext.user("user-1", PROJECT, false), request(instance.id, next));

        BackupCastRecorder.Cast cast = instance.casts.next(Duration.ofSeconds(30));
        assertThat(cast).as("the new backup cast to the guest").isNotNull();
        assertThat(cast.args().required("backup_info").path("id").asText()).isEqualTo(next);
        assertThat(backupRow(next)).containsEntry("state", "NEW").containsEntry("failure_reason", null);
        assertThat(backupRow(previous)).containsEntry("state", "COMPLETED");
        awaitStep(instance.id, "awaiting_backup");
        jdbc.update("UPDATE backups SET state = 'COMPLETED' WHERE id = ?", next);
        awaitFlowClosed(instance.id);
    }

    @Test
    void aResumedFlowDoesNotCastABackupTheGuestHasStarted() throws Exception {
        Instance instance = liveInstance();
        String backupId = backup(instance.id, "BUILDING");
        leftByADeadTaskManager(instance.id, backupId);

        awaitStep(instance.id, "awaiting_backup");
        assertThat(instance.casts.next(Duration.ofSeconds(2))).as("no second cast").isNull();

        jdbc.update("UPDATE backups SET state = 'COMPLETED' WHERE id = ?", backupId);
        awaitFlowClosed(instance.id);
    }

    @Test
    void aResumedFlowCastsABackupStillNew() throws Exception {
        Instance instance = liveInstance();
        String backupId = backup(instance.id, "NEW");
        leftByADeadTaskManager(instance.id, backupId);

        BackupCastRecorder.Cast cast = instance.casts.next(Duration.ofSeconds(30));
        assertThat(cast).as("the cast the dead task manager may not have sent").isNotNull();
        assertThat(tokens.verify(cast.context().text("auth_token"))).isPresent();
        awaitStep(instance.id, "awaiting_backup");
        jdbc.update("UPDATE backups SET state = 'FAILED' WHERE id = ?", backupId);
        awaitFlowClosed(instance.id);
    }

    @Test
    void aBackupOfAnInstanceThatIsGoneFails() throws Exception {
        String backupId = backup(null, "NEW");
        taskManager.createBackup(RpcContext.user("user-1", PROJECT, false),
                request(UUID.randomUUID().toString(), backupId));
        LocalCloud.await("the backup to fail", Duration.ofSeconds(30),
                () -> "FAILED".equals(backupRow(backupId).get("state")));
        // refused at the claim, or found by the monitor first: either way it says why
        assertThat((String) backupRow(backupId).get("failure_reason")).containsAnyOf("The instance is gone",
                "The backup's instance was deleted");
    }

    @Test
    void aBackupWhoseInstanceIsDeletedMeanwhileFails() throws Exception {
        Instance instance = liveInstance();
        String backupId = backup(instance.id, "NEW");
        taskManager.createBackup(RpcContext.user("user-1", PROJECT, false), request(instance.id, backupId));
        assertThat(instance.casts.next(Duration.ofSeconds(30))).isNotNull();
        jdbc.update("UPDATE backups SET state = 'BUILDING' WHERE id = ?", backupId);
        awaitStep(instance.id, "awaiting_backup");

        // what a delete leaves: the instance taken from the backup's flow, and deleted
        jdbc.update("UPDATE instances SET flow_name = NULL, flow_step = NULL, flow_data = NULL, deleted = true "
                + "WHERE id = ?", instance.id);

        LocalCloud.await("the backup to fail", Duration.ofSeconds(30),
                () -> "FAILED".equals(backupRow(backupId).get("state")));
        assertThat((String) backupRow(backupId).get("failure_reason"))
                .startsWith("The backup's instance was deleted");
    }

    // ------------------------------------------------------------------------------------------------------------
    // delete_backup
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void deleteRemovesTheManifestItsSegmentsAndLeftoversAndMarksTheBackupDeleted() throws Exception {
        String backupId = backup(null, "COMPLETED");
        String object = backupId + ".tar.gz.enc";
        storedAt(backupId, object);
        STORE.putManifest(PROJECT, CONTAINER, object, List.of(object + "_00000001", object + "_00000002"));
        STORE.putObject(PROJECT, CONTAINER, object + "_00000001", 10);
        STORE.putObject(PROJECT, CONTAINER, object + "_00000002", 10);
        STORE.putObject(PROJECT, CONTAINER, object + "_00000003", 10); // an interrupted upload's leftover
        String other = UUID.randomUUID() + ".tar.gz.enc";
        STORE.putObject(PROJECT, CONTAINER, other, 10);

        taskManager.deleteBackup(RpcContext.user("user-1", PROJECT, false), backupId);
        taskManager.deleteBackup(RpcContext.user("user-1", PROJECT, false), backupId); // delivered twice

        LocalCloud.await("the backup to be deleted", Duration.ofSeconds(30),
                () -> Boolean.TRUE.equals(backupRow(backupId).get("deleted")));
        assertThat(STORE.objectsOf(PROJECT, CONTAINER)).containsExactly(other);
        Thread.sleep(500); // the second delivery, if it is behind, must change nothing
        assertThat(backupRow(backupId)).containsEntry("deleted", true).containsEntry("state", "COMPLETED")
                .containsEntry("datastore_version_id", null);
    }

    @Test
    void deleteOfABackupWhoseObjectIsGoneMarksItDeleted() throws Exception {
        String backupId = backup(null, "COMPLETED");
        storedAt(backupId, backupId + ".tar.gz");

        taskManager.deleteBackup(RpcContext.user("user-1", PROJECT, false), backupId);

        LocalCloud.await("the backup to be deleted", Duration.ofSeconds(30),
                () -> Boolean.TRUE.equals(backupRow(backupId).get("deleted")));
    }

    @Test
    void aStoreThatFailsLeavesTheBackupDeleteFailedWithItsAnswer() throws Exception {
        String backupId = backup(null, "COMPLETED");
        String object = backupId + ".tar.gz";
        storedAt(backupId, object);
        STORE.putObject(PROJECT, CONTAINER, object, 10);
        STORE.breakDown(true);

        taskManager.deleteBackup(RpcContext.user("user-1", PROJECT, false), backupId);

        LocalCloud.await("the delete to fail", Duration.ofSeconds(30),
                () -> "DELETE_FAILED".equals(backupRow(backupId).get("state")));
        Map<String, Object> row = backupRow(backupId);
        assertThat(row).containsEntry("deleted", false);
        assertThat((String) row.get("failure_reason")).startsWith("The backup's objects could not be deleted: ")
                .contains("HTTP 500");
        STORE.breakDown(false);
        assertThat(STORE.has(PROJECT, CONTAINER, object)).isTrue();
    }

    // ------------------------------------------------------------------------------------------------------------

    /** An instance with its guest: a broker recorder of its casts, and a process the local back end takes for it. */
    private record Instance(String id, BackupCastRecorder casts, Process process) {
    }

    private Instance liveInstance() throws IOException {
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, LocalCloud.versionId(jdbc, "15"),
                flavors.find("d1").orElseThrow().id(), 1);
        jdbc.update("UPDATE instances SET task_id = 1, task_description = 'No tasks for the instance.', "
                + "server_status = 'ACTIVE', compute_instance_id = ? WHERE id = ?", id, id);
        jdbc.update("UPDATE service_statuses SET status_id = 33, status_description = 'healthy' WHERE instance_id = ?",
                id);
        Path record = layout.serverRecord(id);
        Files.createDirectories(record.getParent());
        Files.writeString(record, "{}");
        // what the back end checks of a guest agent: a live process whose command line names its guest_info.conf
        Process process = new ProcessBuilder("sh", "-c", "sleep 600; true", layout.guestInfoConf(id).toString())
                .start();
        Files.createDirectories(layout.guestPid(id).getParent());
        Files.writeString(layout.guestPid(id), Long.toString(process.pid()));
        opened.add(process::destroyForcibly);
        BackupCastRecorder casts = new BackupCastRecorder(transport, id, keys.keyOf(id));
        opened.add(casts);
        return new Instance(id, casts, process);
    }

    private String backup(String instanceId, String state) {
        String id = UUID.randomUUID().toString();
        jdbc.update("""
                INSERT INTO backups (id, name, tenant_id, state, instance_id, backup_type, storage_driver,
                                     datastore_version_id, created, updated, deleted)
                VALUES (?, ?, ?, ?, ?, 'full', 'swift', ?, timezone('UTC', now()), timezone('UTC', now()), false)
                """, id, "b-" + id.substring(0, 8), PROJECT, state, instanceId, LocalCloud.versionId(jdbc, "15"));
        return id;
    }

    private void storedAt(String backupId, String object) {
        jdbc.update("UPDATE backups SET location = ? WHERE id = ?",
                STORE.url() + "/v1/AUTH_" + PROJECT + "/" + CONTAINER + "/" + object, backupId);
    }

    private static BackupRequest request(String instanceId, String backupId) {
        return new BackupRequest(backupId, "b", null, instanceId, BackupType.FULL, null, null, "postgresql", "15",
                "swift", null, null);
    }

    /** The flow as a task manager that died after claiming it left it: at its first step, its lease long gone. */
    private void leftByADeadTaskManager(String instanceId, String backupId) {
        var data = PythonJson.object();
        data.put("backup_id", backupId);
        data.set("backup_info", request(instanceId, backupId).toWire());
        jdbc.update("""
                UPDATE instances SET flow_name = 'create_backup', flow_step = 'cast_backup',
                       flow_data = CAST(? AS jsonb), flow_started = timezone('UTC', now()),
                       flow_owner = 'gone-task-manager', flow_lease_until = timezone('UTC', now()) - interval '1 hour'
                 WHERE id = ?
                """, PythonJson.dumps(data), instanceId);
    }

    private void awaitStep(String id, String step) throws InterruptedException {
        LocalCloud.await("flow step " + step, Duration.ofSeconds(30), () -> {
            Map<String, Object> row = jdbc.queryForMap("SELECT flow_step, flow_owner FROM instances WHERE id = ?", id);
            return step.equals(row.get("flow_step")) && row.get("flow_owner") == null;
        });
    }

    private void awaitFlowClosed(String id) throws InterruptedException {
        LocalCloud.await("the flow to close", Duration.ofSeconds(30), () -> instanceRow(id).get("flow_name") == null);
    }

    private Map<String, Object> instanceRow(String id) {
        return LocalCloud.row(jdbc, id);
    }

    private Map<String, Object> backupRow(String id) {
        return jdbc.queryForMap("SELECT state, failure_reason, deleted, datastore_version_id FROM backups WHERE id = ?",
                id);
    }
}
