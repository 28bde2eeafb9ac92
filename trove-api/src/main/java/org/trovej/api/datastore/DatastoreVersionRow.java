package org.trovej.api.datastore;

/** A datastore version with its datastore, as the management API shows it. */
public record DatastoreVersionRow(DatastoreVersion version, Datastore datastore) {

    /** Whether the version is its datastore's default. */
    public boolean isDefault() {
        return version.getId().equals(datastore.getDefaultVersionId());
    }
}
