package org.trovej.api.instance;

import org.trovej.api.datastore.Datastore;
import org.trovej.api.datastore.DatastoreVersion;

/**
 * An instance with everything its view needs, read in one query: its service status, datastore version and
 * datastore (null when unknown), the newest fault (only where asked for), and counts of running backups and
 * replicas.
 */
public record InstanceViewRow(Instance instance, InstanceServiceStatus status, DatastoreVersion version,
                              Datastore datastore, InstanceFault fault, long runningBackups, long replicas) {

    /** The list query leaves the fault out. */
    public InstanceViewRow(Instance instance, InstanceServiceStatus status, DatastoreVersion version,
                           Datastore datastore, long runningBackups, long replicas) {
        this(instance, status, version, datastore, null, runningBackups, replicas);
    }
}
