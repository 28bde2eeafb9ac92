package org.trovej.taskmanager.instance;

/**
 * What the flows read of an instance and its datastore version.
 *
 * @param serverId          {@code compute_instance_id}
 * @param datastoreVersion  the version's name
 * @param versionNumber     the version's {@code version} column
 */
public record InstanceRow(String id, String name, String tenantId, int taskId, String flavorId, Integer volumeSize,
                          String volumeId, String serverId, String serverStatus, boolean deleted,
                          String datastoreVersionId, String datastoreVersion, String versionNumber,
                          String datastoreManager, String imageId, String imageTags, String serviceStatus) {
}
