package org.trovej.api.backup;

import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.error.ApiException;
import org.trovej.api.web.Timestamps;
import org.trovej.common.json.PythonJson;

/**
 * What instances need to know about backups: whether one is running, failing them on a reset, and whether a new
 * instance may be restored from one. Runs in the caller's transaction.
 */
@Service
@Transactional(propagation = Propagation.MANDATORY)
public class BackupService {

    private final BackupRepository backups;
    private final DatastoreService datastores;
    private final BackupObjects objects;

    public BackupService(BackupRepository backups, DatastoreService datastores, BackupObjects objects) {
        this.backups = backups;
        this.datastores = datastores;
        this.objects = objects;
    }

    public boolean running(String instanceId) {
        return !backups.instancesWithRunningBackup(Set.of(instanceId)).isEmpty();
    }

    /** Trove's {@code Backup.fail_for_instance}. */
    public int failRunning(String instanceId) {
        return backups.failRunning(instanceId, Timestamps.nowUtc());
    }

    private Optional<Backup> find(String backupId) {
        return backups.findByIdAndDeletedFalse(backupId);
    }

    /**
     * Trove's checks of a restore (trove/instance/models.py Instance.create), in its order: the backup is the
     * caller's (or the caller an admin; else 404), finished (COMPLETED or RESTORED; else 409), fits on the new
     * volume (else 403 BackupTooLarge), its object is still in the store (else 404 BackupFileNotFound) and it was
     * taken of the same datastore (else 400; the version may differ, as in Trove).
     *
     * @param datastore  the new instance's datastore name
     * @param volumeSize the new instance's volume, GB
     */
    public Backup checkRestore(AuthContext caller, String backupId, String datastore, int volumeSize) {
        Backup backup = find(backupId).filter(b -> BackupQueryService.isVisible(caller, b))
                .orElseThrow(() -> ApiException.resourceNotFound(backupId));
        if (!backup.isRestorable()) {
            throw ApiException.conflict("Unable to create instance because backup " + backupId
                    + " is not completed. Actual state: " + backup.getState() + ".");
        }
        if (backup.getSize() != null && backup.getSize() > volumeSize) {
            throw ApiException.forbidden("Backup is too large for given flavor or volume. Backup size: "
                    + PythonJson.pythonFloat(backup.getSize()) + " GBs. Available size: " + volumeSize + " GBs.");
        }
        if (backup.getLocation() != null && !objects.mayExist(caller, backup.getLocation())) {
            throw ApiException.notFound("Backup file in " + backup.getLocation() + " was not found in the object "
                    + "storage.");
        }
        String versionId = backup.getDatastoreVersionId();
        DatastoreService.Resolved taken = versionId == null ? null
                : datastores.resolveAll(Set.of(versionId)).get(versionId);
        if (taken != null && !taken.datastore().getName().equals(datastore)) {
            throw ApiException.badRequest("The datastore from which the backup was taken, "
                    + taken.datastore().getName() + ", does not match the destination datastore of " + datastore
                    + ".");
        }
        return backup;
    }
}
