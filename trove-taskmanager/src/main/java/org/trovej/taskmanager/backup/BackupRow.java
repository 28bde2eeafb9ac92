package org.trovej.taskmanager.backup;

import org.trovej.common.backup.BackupState;

/**
 * One backup as the task manager sees it.
 *
 * @param state      null for a state TroveJ does not know
 * @param location   the object's URL ({@code <swift_url>/<container>/<object>}), null until the guest has stored it
 * @param ageSeconds how long ago it was requested
 */
public record BackupRow(String id, String tenantId, String instanceId, BackupState state, String location,
                        String backupType, String checksum, String storageDriver, boolean deleted, long ageSeconds) {
}
