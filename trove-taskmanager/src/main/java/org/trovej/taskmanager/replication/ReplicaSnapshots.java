package org.trovej.taskmanager.replication;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.BackupState;
import org.trovej.common.backup.BackupType;
import org.trovej.common.datastore.ConfigTemplates;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.rpc.RpcContext;
import org.trovej.taskmanager.backup.BackupRecords;
import org.trovej.taskmanager.backup.BackupRow;
import org.trovej.taskmanager.backup.DeleteBackupTask;
import org.trovej.taskmanager.backup.ObjectStoreAccounts;
import org.trovej.taskmanager.flow.StepFailure;
import org.trovej.taskmanager.instance.InstanceRecords;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * A replica's seed (Trove's get_replication_master_snapshot): a backup record of the source, the source's guest
 * asked for {@code get_replication_snapshot} (it stores the backup and answers how to follow it), the backup awaited
 * until the conductor has recorded it COMPLETED; the replica is then prepared from that backup with the snapshot,
 * and the backup deleted once the replica's build has ended, as Trove does.
 * <p>
 * The snapshot holds the replication user's password: a flow keeps only {@link #withoutSecrets} of it, and a resumed
 * build asks the source for its replica context again ({@link #complete}).
 */
@Component
public class ReplicaSnapshots {

    private static final Logger log = LoggerFactory.getLogger(ReplicaSnapshots.class);
    /** The guest's update_backup is a cast the conductor applies after the call has answered. */
    private static final Duration RECORDED_WAIT = Duration.ofSeconds(60);

    private final InstanceRecords instances;
    private final BackupRecords backups;
    private final ObjectStoreAccounts accounts;
    private final ReplicationGuests guests;
    private final ConfigTemplates templates;
    private final DeleteBackupTask deleteBackup;

    public ReplicaSnapshots(InstanceRecords instances, BackupRecords backups, ObjectStoreAccounts accounts,
                            ReplicationGuests guests, ConfigTemplates templates, DeleteBackupTask deleteBackup) {
        this.instances = instances;
        this.backups = backups;
        this.accounts = accounts;
        this.guests = guests;
        this.templates = templates;
        this.deleteBackup = deleteBackup;
    }

    /** A snapshot and the backup it seeds the replica from. */
    public record Snapshot(String backupId, ObjectNode snapshot) {
    }

    /**
     * Takes a snapshot of {@code sourceId} for {@code replica}. The source must be a healthy, non-replica instance
     * of the replica's datastore version (the API checked; it is checked again here, the source may have changed).
     */
    public Snapshot take(RpcContext context, InstanceRow replica, String sourceId, Flavor flavor) {
        InstanceRow source = instances.find(sourceId).filter(s -> !s.deleted())
                .orElseThrow(() -> new StepFailure("The replica source " + sourceId + " is gone"));
        if (instances.sourceOf(sourceId).isPresent()) {
            throw new StepFailure("The replica source " + sourceId + " is itself a replica");
        }
        if (source.datastoreVersionId() == null || !source.datastoreVersionId().equals(replica.datastoreVersionId())) {
            throw new StepFailure("The replica source " + sourceId + " runs another datastore version");
        }
        // a source whose guest does not answer fails the replica now (low timeout), not after the snapshot timeout;
        // every guest seeds a replica from a backup (TroveJ's and Trove's), whatever it answers
        guests.backupRequiredForReplication(context, sourceId);
        String backupId = UUID.randomUUID().toString();
        backups.createSnapshot(backupId, replica.id(), sourceId, source.tenantId(), source.datastoreVersionId());
        BackupRequest request = new BackupRequest(backupId, "Replication snapshot for " + replica.id(),
                "Backup image used to initialize replication slave", sourceId, BackupType.FULL, null, null,
                source.datastoreManager(), source.datastoreVersion(), "swift", null,
                accounts.swiftUrl(context, source.tenantId()));
        ObjectNode info = request.toWire();
        // the rest of Trove's snapshot_info
        info.put("tenant_id", source.tenantId());
        info.put("state", BackupState.NEW.name());
        info.put("datastore_version_id", source.datastoreVersionId());
        info.put("deleted", false);
        info.put("replica_number", 1);
        info.putObject("backup_info");
        info.putNull("parent_id");
        RpcContext grant = accounts.guestContext(context, source.tenantId(), request.container(), backupId,
                List.of());
        ObjectNode snapshot;
        try {
            snapshot = guests.replicationSnapshot(grant, sourceId, info,
                    templates.render(source.datastoreManager(), flavor));
            awaitRecorded(backupId);
        } catch (RuntimeException e) {
            release(context, backupId);
            throw e;
        }
        snapshot.put("config", templates.render(replica.datastoreManager(), flavor));
        log.info("Replica {}: snapshot {} of {} taken", replica.id(), backupId, sourceId);
        return new Snapshot(backupId, snapshot);
    }

    /** The snapshot as a flow may keep it: the replication user's password removed. */
    public static ObjectNode withoutSecrets(ObjectNode snapshot) {
        ObjectNode copy = snapshot.deepCopy();
        JsonNode user = copy.path("replica_conf").path("replication_user");
        if (user.isObject()) {
            ((ObjectNode) user).remove("password");
        }
        return copy;
    }

    /** A kept snapshot made whole again: the source's current replica context (with its password) put in. */
    public ObjectNode complete(RpcContext context, String sourceId, ObjectNode kept) {
        ObjectNode snapshot = kept.deepCopy();
        guests.replicaContext(context, sourceId).fields()
                .forEachRemaining(e -> snapshot.set(e.getKey(), e.getValue()));
        return snapshot;
    }

    /** Deletes the snapshot's backup (its objects and its record); a failure leaves it DELETE_FAILED, visible. */
    public void release(RpcContext context, String backupId) {
        if (backupId == null || backupId.isEmpty()) {
            return;
        }
        try {
            BackupRow row = backups.find(backupId).orElse(null);
            if (row != null && row.state().running()) {
                backups.failIfRunning(backupId, "The replica it was taken for no longer needs it");
            }
            deleteBackup.delete(context, backupId);
        } catch (RuntimeException e) {
            log.warn("Replication snapshot {} could not be deleted: {}", backupId, e.toString());
        }
    }

    private void awaitRecorded(String backupId) {
        long deadline = System.nanoTime() + RECORDED_WAIT.toNanos();
        while (true) {
            BackupRow row = backups.find(backupId)
                    .orElseThrow(() -> new StepFailure("The snapshot's backup " + backupId + " disappeared"));
            if (row.state() == BackupState.COMPLETED && row.location() != null) {
                return;
            }
            if (!row.state().running()) {
                throw new StepFailure("The snapshot's backup " + backupId + " is " + row.state());
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("The snapshot's backup " + backupId + " was never recorded as completed");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailure("Interrupted while the snapshot's backup was recorded");
            }
        }
    }
}
