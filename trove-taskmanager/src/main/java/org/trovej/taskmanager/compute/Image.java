package org.trovej.taskmanager.compute;

/**
 * What a server boots from: the datastore version's Glance image id, or its tags when the image is looked up
 * by tag. The local back end ignores it (the guest's datastore manager and the host's binaries decide).
 */
public record Image(String id, String tags) {
}
