package org.trovej.api.backup;

import org.trovej.api.auth.AuthContext;

/**
 * What backups need to know about instances, answered by the instance feature (which builds on this package, so
 * this package asks through an interface instead of importing it). Every method runs in the caller's transaction.
 */
public interface BackupInstances {

    /** An instance a backup may be taken of, as {@link #lockForBackup} found it. */
    record Target(String instanceId, String tenantId, String datastoreVersionId) {
    }

    /**
     * Locks the instance and makes Trove's checks before a backup (Backup.create): visible to the caller (404),
     * able to take an action now, which includes having no backup running (422 with Trove's "not currently
     * available" message), not a cluster member (501).
     */
    Target lockForBackup(AuthContext caller, String instanceId);

    /** The project of an instance the caller may see (404 otherwise, as Trove's Instance.load). */
    String visibleOwner(AuthContext caller, String instanceId);
}
