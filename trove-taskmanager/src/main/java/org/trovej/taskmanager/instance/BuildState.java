package org.trovej.taskmanager.instance;

/**
 * Where a build stands, as the build monitor checks it.
 *
 * @param flowStep      the create flow's step, null for a build that never got a flow
 * @param overdue       past the flow's deadline, or flowless for longer than the build timeout
 * @param serverId      {@code compute_instance_id}, if the server was created
 * @param serviceStatus the guest's last reported status
 * @param ageSeconds    since the flow (else the instance) started
 * @param flowless      no task manager ever started building it
 * @param seedBackupId  a replica's snapshot backup (its flow's {@code snapshot_backup_id}), to delete at the end
 */
public record BuildState(String id, String flowStep, boolean overdue, String serverId, String serviceStatus,
                         long ageSeconds, boolean flowless, String seedBackupId) {
}
