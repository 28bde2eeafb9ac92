package org.trovej.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

/** Inserts the rows tests need (datastore, version, instances with their service status) with plain JDBC. */
public final class ControlPlaneRows {

    private final DataSource dataSource;

    public ControlPlaneRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A datastore with one active version; returns the version id. */
    public String datastoreVersion(String datastore, String version) {
        String datastoreId = UUID.randomUUID().toString();
        String versionId = UUID.randomUUID().toString();
        execute("INSERT INTO datastores (id, name) VALUES (?, ?)", datastoreId, datastore + "-" + datastoreId);
        execute("INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active) "
                + "VALUES (?, ?, ?, ?, ?, true)", versionId, datastoreId, version, version, datastore);
        execute("UPDATE datastores SET default_version_id = ? WHERE id = ?", versionId, datastoreId);
        return versionId;
    }

    /**
     * An instance and its service status row ({@code new}, as at creation).
     *
     * @param sealedKey the value of {@code instances.encrypted_key}, or null for a plaintext instance
     */
    public void instance(String instanceId, String tenant, String versionId, String sealedKey) {
        execute("INSERT INTO instances (id, name, tenant_id, datastore_version_id, flavor_id, task_id, "
                + "task_description, encrypted_key, volume_size, created, updated, deleted) VALUES "
                + "(?, ?, ?, ?, '1', 1, 'No tasks for the instance.', ?, 1, timezone('UTC', now()), "
                + "timezone('UTC', now()), false)", instanceId, "i-" + instanceId.substring(0, 8), tenant, versionId,
                sealedKey);
        execute("INSERT INTO service_statuses (id, instance_id, status_id, status_description, created, updated_at, "
                + "deleted) VALUES (?, ?, 23, 'new', timezone('UTC', now()), timezone('UTC', now()), false)",
                UUID.randomUUID().toString(), instanceId);
    }

    public void backup(String backupId, String instanceId, String tenant, String state) {
        execute("INSERT INTO backups (id, name, tenant_id, state, instance_id, created, updated, deleted) "
                + "VALUES (?, ?, ?, ?, ?, timezone('UTC', now()), timezone('UTC', now()), false)",
                backupId, "b-" + backupId.substring(0, 8), tenant, state, instanceId);
    }

    public void execute(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
