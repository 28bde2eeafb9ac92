package org.trovej.api.datastore;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code datastores}: a database engine offered by the service. The management API creates one when
 * a version names a datastore that does not exist; its default version changes through the repository.
 */
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

    public Datastore(String id, String name) {
        this.id = id;
        this.name = name;
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
