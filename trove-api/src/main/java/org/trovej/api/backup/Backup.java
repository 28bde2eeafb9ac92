package org.trovej.api.backup;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.trovej.api.persistence.AssignedIdEntity;
import org.trovej.common.backup.BackupState;
import org.trovej.common.backup.BackupType;

/**
 * A row of {@code backups} (Trove's DBBackup). The API records a backup (NEW, or RESTORED when an existing one is
 * registered) and marks one deleted only when its create never reached the task manager; the guest's progress
 * (state, size, checksum, location) is written by the conductor, and the task manager marks it deleted once its
 * objects are gone. Updates write only the columns that changed ({@link DynamicUpdate}).
 */
@Entity
@Table(name = "backups")
@DynamicUpdate
public class Backup extends AssignedIdEntity {

    /** Trove's storage_strategy default: every backup is stored through Swift's API (or the local store speaking it). */
    public static final String STORAGE_DRIVER = "swift";

    private String name;

    private String description;

    private String location;

    @Column(name = "backup_type")
    private String backupType;

    private Double size;

    @Column(name = "tenant_id")
    private String tenantId;

    private String state;

    @Column(name = "instance_id")
    private String instanceId;

    private String checksum;

    @Column(name = "parent_id")
    private String parentId;

    @Column(name = "datastore_version_id")
    private String datastoreVersionId;

    @Column(name = "storage_driver")
    private String storageDriver;

    private LocalDateTime created;

    private LocalDateTime updated;

    private boolean deleted;

    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;

    /** Written by the guest or the task manager (migration V4); the API only shows it. */
    @Column(name = "failure_reason", insertable = false, updatable = false)
    private String failureReason;

    protected Backup() {
    }

    /** A backup the task manager is about to be asked to take: NEW, nothing stored yet. */
    static Backup requested(String id, String name, String description, String tenantId, String instanceId,
                            String parentId, String datastoreVersionId, LocalDateTime now) {
        Backup b = fresh(id, name, description, tenantId, datastoreVersionId, now);
        b.state = BackupState.NEW.name();
        b.instanceId = instanceId;
        b.parentId = parentId;
        b.backupType = parentId == null ? BackupType.FULL : BackupType.INCREMENTAL;
        return b;
    }

    /** A backup stored elsewhere, registered as it was described (Trove's {@code restore_from}): RESTORED. */
    static Backup registered(String id, String name, String description, String tenantId, String parentId,
                             String datastoreVersionId, String location, double size, LocalDateTime now) {
        Backup b = fresh(id, name, description, tenantId, datastoreVersionId, now);
        b.state = BackupState.RESTORED.name();
        b.parentId = parentId;
        b.location = location;
        b.size = size;
        b.backupType = BackupType.FULL;
        return b;
    }

    private static Backup fresh(String id, String name, String description, String tenantId,
                                String datastoreVersionId, LocalDateTime now) {
        Backup b = new Backup();
        b.assignNew(id);
        b.name = name;
        b.description = description;
        b.tenantId = tenantId;
        b.datastoreVersionId = datastoreVersionId;
        b.storageDriver = STORAGE_DRIVER;
        b.created = now;
        b.updated = now;
        return b;
    }

    /** A create the task manager never heard of: the record must not stay behind as a backup that will never run. */
    void markAbandoned(LocalDateTime now) {
        deleted = true;
        deletedAt = now;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public String getLocation() {
        return location;
    }

    public String getBackupType() {
        return backupType;
    }

    public Double getSize() {
        return size;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getState() {
        return state;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public String getChecksum() {
        return checksum;
    }

    public String getParentId() {
        return parentId;
    }

    public String getDatastoreVersionId() {
        return datastoreVersionId;
    }

    public String getStorageDriver() {
        return storageDriver;
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

    /** NEW, BUILDING or SAVING (Trove's is_running). */
    public boolean isRunning() {
        BackupState parsed = BackupState.parse(state);
        return parsed != null && parsed.running();
    }

    /** COMPLETED or RESTORED: something a new instance can be restored from (Trove's is_done_successfuly). */
    public boolean isRestorable() {
        return BackupState.COMPLETED.name().equals(state) || BackupState.RESTORED.name().equals(state);
    }

    public String getFailureReason() {
        return failureReason;
    }
}
