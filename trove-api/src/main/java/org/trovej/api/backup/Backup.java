package org.trovej.api.backup;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

/** The columns of {@code backups} the instance API needs: whose it is and what state it is in. */
@Entity
@Table(name = "backups")
@DynamicUpdate
public class Backup {

    @Id
    private String id;

    @Column(name = "tenant_id")
    private String tenantId;

    @Column(name = "instance_id")
    private String instanceId;

    private String state;

    @Column(name = "datastore_version_id")
    private String datastoreVersionId;

    private Double size;

    private LocalDateTime updated;

    private boolean deleted;

    protected Backup() {
    }

    public String getId() {
        return id;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public String getState() {
        return state;
    }

    public String getDatastoreVersionId() {
        return datastoreVersionId;
    }

    public Double getSize() {
        return size;
    }

    public boolean isDeleted() {
        return deleted;
    }
}
