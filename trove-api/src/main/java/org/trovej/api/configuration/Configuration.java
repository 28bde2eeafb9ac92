package org.trovej.api.configuration;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.trovej.api.persistence.AssignedIdEntity;
import org.trovej.api.web.Timestamps;

/**
 * A configuration group ({@code configurations}): a named set of parameter values for one datastore version,
 * owned by a project. Its values live in {@code configuration_parameters} ({@link ConfigurationValueRecords}).
 * Deleting marks the row deleted, as Trove does.
 */
@Entity
@Table(name = "configurations")
public class Configuration extends AssignedIdEntity {

    private String name;

    private String description;

    @Column(name = "tenant_id")
    private String tenantId;

    @Column(name = "datastore_version_id")
    private String datastoreVersionId;

    private LocalDateTime created;

    private LocalDateTime updated;

    private boolean deleted;

    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;

    protected Configuration() {
    }

    static Configuration create(String id, String name, String description, String tenantId,
                                String datastoreVersionId) {
        Configuration c = new Configuration();
        c.assignNew(id);
        c.name = name;
        c.description = description;
        c.tenantId = tenantId;
        c.datastoreVersionId = datastoreVersionId;
        c.created = Timestamps.nowUtc();
        c.updated = c.created;
        return c;
    }

    void rename(String newName) {
        name = newName;
    }

    void describe(String newDescription) {
        description = newDescription;
    }

    void touch() {
        updated = Timestamps.nowUtc();
    }

    void markDeleted() {
        deleted = true;
        deletedAt = Timestamps.nowUtc();
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getDatastoreVersionId() {
        return datastoreVersionId;
    }

    public LocalDateTime getCreated() {
        return created;
    }

    public LocalDateTime getUpdated() {
        return updated;
    }

    public boolean isDeleted() {
        return deleted;
    }
}
