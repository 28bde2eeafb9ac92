package org.trovej.taskmanager.compute;

/** A volume to create for an instance (made idempotent by the instance id). */
public record VolumeRequest(String instanceId, String name, int sizeGb, String volumeType, String availabilityZone) {
}
