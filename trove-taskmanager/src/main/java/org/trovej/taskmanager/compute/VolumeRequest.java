package org.trovej.taskmanager.compute;

/**
 * A volume to create for an instance (made idempotent by the instance id).
 *
 * @param datastoreManager decides where the guest mounts it (Trove's per-datastore {@code mount_point})
 */
public record VolumeRequest(String instanceId, String name, int sizeGb, String volumeType, String availabilityZone,
                            String datastoreManager) {
}
