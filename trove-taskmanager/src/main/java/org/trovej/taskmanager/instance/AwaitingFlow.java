package org.trovej.taskmanager.instance;

/**
 * An instance whose flow waits, unowned, at a step for its guest (a backup running on the guest), with what tells
 * whether that guest still lives.
 *
 * @param flowData            the flow's data, JSON
 * @param serviceStatus       the guest's last reported status, or null
 * @param heartbeatAgeSeconds seconds since the guest's last heartbeat, or null when it never sent one
 */
public record AwaitingFlow(String instanceId, String serverId, String flowData, String serviceStatus,
                           Long heartbeatAgeSeconds) {
}
