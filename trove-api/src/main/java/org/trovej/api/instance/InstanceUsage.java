package org.trovej.api.instance;

/** A project's live instances of one flavor: how many, and their volumes' GB. */
public record InstanceUsage(String tenantId, String flavorId, long instances, long volumeGb) {
}
