package org.trovej.api.datastore;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code datastores}: a database engine offered by the service. Read-only here. */
@Entity
@Table(name = "datastores")
public class Datastore {

    @Id
    private String id;

    private String name;

    @Column(name = "default_version_id")
    private String defaultVersionId;

    protected Datastore() {
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDefaultVersionId() {
        return defaultVersionId;
    }
}
