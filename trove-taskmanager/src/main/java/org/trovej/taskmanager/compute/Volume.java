package org.trovej.taskmanager.compute;

/**
 * A data volume.
 *
 * @param sizeGb     its size, GB
 * @param devicePath where the guest finds the device ({@code /dev/vdb} on Nova); null when it is a directory
 * @param mountPoint where the guest sees the data ({@code prepare}'s {@code mount_point})
 */
public record Volume(String id, int sizeGb, VolumeStatus status, String devicePath, String mountPoint) {
}
