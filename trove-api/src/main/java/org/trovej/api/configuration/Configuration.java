package org.trovej.api.configuration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The columns of {@code configurations} (configuration groups) the API needs so far: which datastore version a
 * group is for, and whether it is deleted. Read-only here.
 */
@Entity
@Table(name = "configurations")
public class Configuration {

    @Id
    private String id;

    @Column(name = "tenant_id")
    private String tenantId;

    @Column(name = "datastore_version_id")
    private String datastoreVersionId;

    private boolean deleted;

    protected Configuration() {
    }

    public String getId() {
        return id;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getDatastoreVersionId() {
        return datastoreVersionId;
    }

    public boolean isDeleted() {
        return deleted;
    }
}
