package org.trovej.taskmanager.instance;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;

/**
 * The instance columns the task manager owns: the server's status and addresses, the compute and volume ids,
 * tasks, and the service status the control plane itself sets ({@code guestagent error}, {@code deleted}).
 * The service status's {@code updated_at} is left alone: it is the guest's last heartbeat. Every write joins
 * the caller's transaction, if there is one.
 */
@Component
public class InstanceRecords {

    private static final String NOW = "timezone('UTC', now())";

    private final JdbcTemplate jdbc;

    public InstanceRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<InstanceRow> find(String instanceId) {
        List<InstanceRow> rows = jdbc.query("""
                SELECT i.id, i.name, i.tenant_id, i.task_id, i.flavor_id, i.volume_size, i.volume_id,
                       i.compute_instance_id, i.server_status, i.deleted, i.datastore_version_id,
                       v.name AS version_name, v.version, v.manager, v.image_id, v.image_tags,
                       s.status_description
                  FROM instances i
                  LEFT JOIN datastore_versions v ON v.id = i.datastore_version_id
                  LEFT JOIN service_statuses s ON s.instance_id = i.id
                 WHERE i.id = ?
                """, (rs, n) -> new InstanceRow(rs.getString("id"), rs.getString("name"), rs.getString("tenant_id"),
                rs.getInt("task_id"), rs.getString("flavor_id"), (Integer) rs.getObject("volume_size"),
                rs.getString("volume_id"), rs.getString("compute_instance_id"), rs.getString("server_status"),
                rs.getBoolean("deleted"), rs.getString("datastore_version_id"), rs.getString("version_name"),
                rs.getString("version"), rs.getString("manager"), rs.getString("image_id"),
                rs.getString("image_tags"), rs.getString("status_description")), instanceId);
        return rows.stream().findFirst();
    }

    public void setVolumeId(String instanceId, String volumeId) {
        jdbc.update("UPDATE instances SET volume_id = ?, updated = " + NOW + " WHERE id = ?", volumeId, instanceId);
    }

    public void setServerId(String instanceId, String serverId) {
        jdbc.update("UPDATE instances SET compute_instance_id = ?, updated = " + NOW + " WHERE id = ?", serverId,
                instanceId);
    }

    public void setServerStatus(String instanceId, String serverStatus) {
        jdbc.update("UPDATE instances SET server_status = ?, updated = " + NOW + " WHERE id = ?", serverStatus,
                instanceId);
    }

    /** The server's status and its addresses ({@code [{"address", "type", "network"}]}). */
    public void setServer(String instanceId, String serverStatus, String addressesJson) {
        jdbc.update("UPDATE instances SET server_status = ?, addresses = CAST(? AS jsonb), updated = " + NOW
                + " WHERE id = ?", serverStatus, addressesJson, instanceId);
    }

    public void setTask(String instanceId, InstanceTask task) {
        jdbc.update("UPDATE instances SET task_id = ?, task_description = ?, updated = " + NOW + " WHERE id = ?",
                task.code(), task.description(), instanceId);
    }

    public void setServiceStatus(String instanceId, ServiceStatus status) {
        jdbc.update("UPDATE service_statuses SET status_id = ?, status_description = ? WHERE instance_id = ?",
                status.code(), status.description(), instanceId);
    }

    /**
     * Records a fault the API shows as the instance's {@code fault}.
     *
     * @param details what a user or operator needs to find the cause (never a password)
     */
    public void recordFault(String instanceId, String message, String details) {
        jdbc.update("""
                INSERT INTO instance_faults (id, instance_id, message, details, created, updated, deleted)
                SELECT ?, ?, ?, ?, timezone('UTC', now()), timezone('UTC', now()), false
                 WHERE EXISTS (SELECT 1 FROM instances WHERE id = ?)
                """, UUID.randomUUID().toString(), instanceId, message, details, instanceId);
    }
}
