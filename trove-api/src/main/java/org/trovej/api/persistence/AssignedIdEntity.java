package org.trovej.api.persistence;

import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * A row whose id (a Trove UUID string) is chosen by us, not the database: without telling Spring Data that a
 * new object is new, {@code save} would first SELECT it to decide between INSERT and UPDATE.
 */
@MappedSuperclass
public abstract class AssignedIdEntity implements Persistable<String> {

    @Id
    private String id;

    @Transient
    private boolean isNew;

    protected AssignedIdEntity() {
    }

    /** Marks a freshly built object, to be inserted. */
    protected void assignNew(String newId) {
        this.id = newId;
        this.isNew = true;
    }

    @PostLoad
    @PostPersist
    protected void markStored() {
        isNew = false;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @Override
    public String getId() {
        return id;
    }
}
