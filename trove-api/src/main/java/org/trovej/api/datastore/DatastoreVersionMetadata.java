package org.trovej.api.datastore;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code datastore_version_metadata}: a version bound to a flavor ("flavor") or volume type. */
@Entity
@Table(name = "datastore_version_metadata")
public class DatastoreVersionMetadata {

    @Id
    private String id;

    @Column(name = "datastore_version_id")
    private String datastoreVersionId;

    @Column(name = "key")
    private String metadataKey;

    private String value;

    private boolean deleted;

    protected DatastoreVersionMetadata() {
    }

    public String getValue() {
        return value;
    }
}
