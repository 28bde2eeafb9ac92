package org.trovej.api.backup;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code backup_strategy} (Trove's DBBackupStrategy): the container a project's backups go to, for one
 * instance or ({@code instance_id} empty) for all of them. Written only by {@link BackupStrategyRepository#upsert}.
 */
@Entity
@Table(name = "backup_strategy")
public class BackupStrategy {

    /** The instance id of a project-wide strategy. */
    public static final String PROJECT_WIDE = "";

    @Id
    private String id;

    @Column(name = "tenant_id")
    private String tenantId;

    @Column(name = "instance_id")
    private String instanceId;

    private String backend;

    @Column(name = "swift_container")
    private String swiftContainer;

    private LocalDateTime created;

    private LocalDateTime updated;

    protected BackupStrategy() {
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

    public String getBackend() {
        return backend;
    }

    public String getSwiftContainer() {
        return swiftContainer;
    }
}
