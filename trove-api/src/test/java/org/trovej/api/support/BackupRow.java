package org.trovej.api.support;

import java.time.LocalDateTime;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** A backup as the task manager and conductor would have left it, written with plain SQL. */
public final class BackupRow {

    private final String id = UUID.randomUUID().toString();
    private final String project;
    private String name;
    private String instanceId;
    private String state = "COMPLETED";
    private String parentId;
    private String versionId = TestData.PG16;
    private Double size = 0.5;
    private String location;
    private String checksum = "0123456789abcdef0123456789abcdef";
    private LocalDateTime created = TestData.nowUtc();
    private LocalDateTime updated;

    public BackupRow(String project) {
        this.project = project;
        this.name = "b-" + id.substring(0, 8);
        this.location = "http://127.0.0.1:8080/v1/AUTH_" + project + "/database_backups/" + id + ".tar.gz";
    }

    public BackupRow name(String value) {
        name = value;
        return this;
    }

    public BackupRow instance(String value) {
        instanceId = value;
        return this;
    }

    public BackupRow state(String value) {
        state = value;
        return this;
    }

    public BackupRow parent(String value) {
        parentId = value;
        return this;
    }

    public BackupRow version(String value) {
        versionId = value;
        return this;
    }

    public BackupRow size(Double value) {
        size = value;
        return this;
    }

    public BackupRow created(LocalDateTime value) {
        created = value;
        return this;
    }

    public BackupRow updated(LocalDateTime value) {
        updated = value;
        return this;
    }

    public String location() {
        return location;
    }

    public String checksum() {
        return checksum;
    }

    public String insert(JdbcTemplate jdbc) {
        jdbc.update("INSERT INTO backups (id, name, description, location, backup_type, size, tenant_id, state, "
                + "instance_id, checksum, parent_id, datastore_version_id, storage_driver, created, updated, deleted) "
                + "VALUES (?, ?, null, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'swift', ?, ?, false)", id, name, location,
                parentId == null ? "full" : "incremental", size, project, state, instanceId, checksum, parentId,
                versionId, created, updated == null ? created : updated);
        return id;
    }
}
