package org.trovej.taskmanager.backup;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.backup.BackupState;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.objectstore.SwiftAccount;
import org.trovej.common.objectstore.SwiftException;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.taskmanager.flow.FlowExecutor;

/**
 * {@code delete_backup} (Trove's BackupTasks.delete_backup): the backup's objects are deleted from the object store
 * (the object, or a Static Large Object manifest with its segments, and any segment an interrupted upload left
 * behind), then the backup is marked deleted. An object already gone is fine, so a message delivered twice, or a
 * delete tried again, finds nothing to do. Any other failure leaves the backup DELETE_FAILED with the reason, visible
 * so that it can be deleted again (Trove marks it deleted all the same and so loses track of the objects).
 * <p>
 * Not an instance flow: a backup outlives its instance, and deleting it does not touch the instance. A RESTORED
 * backup (registered from a location elsewhere) keeps its objects, as in Trove.
 */
@Component
public class DeleteBackupTask {

    private static final Logger log = LoggerFactory.getLogger(DeleteBackupTask.class);

    private final BackupRecords backups;
    private final ObjectStoreAccounts accounts;
    private final FlowExecutor executor;

    public DeleteBackupTask(BackupRecords backups, ObjectStoreAccounts accounts, FlowExecutor executor) {
        this.backups = backups;
        this.accounts = accounts;
        this.executor = executor;
    }

    /** The RPC method: acknowledged once the backup is deleted or DELETE_FAILED. */
    public CompletionStage<JsonNode> start(RpcContext context, RpcArgs args) {
        String backupId = args.text("backup_id");
        return executor.submit("delete_backup " + backupId, () -> delete(context, backupId));
    }

    /**
     * Deletes the backup now, on the caller's thread (a replica's snapshot once the replica is built, an expired
     * scheduled backup).
     *
     * @return whether this call marked it deleted (false: gone already, or DELETE_FAILED)
     */
    public boolean delete(RpcContext context, String backupId) {
        Optional<BackupRow> found = backups.find(backupId);
        if (found.isEmpty() || found.get().deleted()) {
            log.info("delete_backup for {}: no such backup, or deleted already", backupId);
            return false;
        }
        BackupRow backup = found.get();
        try {
            deleteObjects(context, backup);
        } catch (SwiftException | IllegalArgumentException e) {
            String reason = "The backup's objects could not be deleted: " + e.getMessage();
            backups.deleteFailed(backupId, reason);
            log.warn("Backup {} DELETE_FAILED: {}", backupId, reason);
            return false;
        }
        if (backups.markDeleted(backupId)) {
            log.info("Backup {} deleted", backupId);
            return true;
        }
        return false;
    }

    private void deleteObjects(RpcContext context, BackupRow backup) {
        if (backup.location() == null || backup.state() == BackupState.RESTORED) {
            return; // nothing stored (it failed before the upload: the guest removes partial objects), or not ours
        }
        if (backup.storageDriver() != null && !backup.storageDriver().isEmpty()
                && !"swift".equals(backup.storageDriver())) {
            throw new IllegalArgumentException("storage driver " + backup.storageDriver() + " is not supported");
        }
        // the container and the object come from the location; the account is the backup's project's at this
        // control plane's store, never a URL the guest reported, so the grant goes nowhere else
        ObjectLocation location = ObjectLocation.parse(backup.location());
        if (!location.object().startsWith(backup.id())) {
            throw new IllegalArgumentException("the backup's object " + location.object()
                    + " is not named after the backup");
        }
        SwiftAccount account = accounts.account(context, backup.tenantId(), location.container(), backup.id());
        account.delete(location.container(), location.object());
        for (String leftover : account.list(location.container(), backup.id())) {
            account.delete(location.container(), leftover);
        }
    }
}
