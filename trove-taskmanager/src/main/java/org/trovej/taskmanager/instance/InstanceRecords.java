package org.trovej.taskmanager.instance;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;

/**
 * The task manager's one way to its instances' rows ({@code instances}, their {@code service_statuses} and
 * {@code instance_faults}): the server's status and addresses, the compute and volume ids, flavor and size,
 * tasks, and the service status the control plane itself sets ({@code guestagent error}, {@code deleted},
 * {@code shutdown} at power-off). The service status's {@code updated_at} is left alone: it is the guest's last
 * heartbeat, except at power-off (see {@link #recordPoweredOff}). Only the flows' own columns ({@code flow_*})
 * are written elsewhere, by {@code FlowStore}. Every write joins the caller's transaction, if there is one.
 */
@Component
public class InstanceRecords {

    private static final String NOW = "timezone('UTC', now())";
    /** The server status of a deleted instance ({@code ServerStatus.DELETED}; this package stays below compute). */
    private static final String DELETED_SERVER = "DELETED";

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
        update(instanceId, "volume_id = ?", volumeId);
    }

    public void setServerId(String instanceId, String serverId) {
        update(instanceId, "compute_instance_id = ?", serverId);
    }

    public void setServerStatus(String instanceId, String serverStatus) {
        update(instanceId, "server_status = ?", serverStatus);
    }

    /** The server's status and its addresses ({@code [{"address", "type", "network"}]}). */
    public void setServer(String instanceId, String serverStatus, String addressesJson) {
        update(instanceId, "server_status = ?, addresses = CAST(? AS jsonb)", serverStatus, addressesJson);
    }

    /** The addresses alone ({@code [{"address", "type", "network"}]}), as soon as they are allocated. */
    public void setAddresses(String instanceId, String addressesJson) {
        update(instanceId, "addresses = CAST(? AS jsonb)", addressesJson);
    }

    public void setTask(String instanceId, InstanceTask task) {
        update(instanceId, "task_id = ?, task_description = ?", task.code(), task.description());
    }

    /** The end of a flavor resize: the new flavor, and task NONE. */
    public void flavorResized(String instanceId, String flavorId) {
        update(instanceId, "flavor_id = ?, task_id = ?, task_description = ?", flavorId, InstanceTask.NONE.code(),
                InstanceTask.NONE.description());
    }

    /** The end of a volume resize: the new size in GB, and task NONE. */
    public void volumeResized(String instanceId, int volumeSize) {
        update(instanceId, "volume_size = ?, task_id = ?, task_description = ?", volumeSize,
                InstanceTask.NONE.code(), InstanceTask.NONE.description());
    }

    /** The end of an upgrade: the instance runs the new datastore version, and task NONE. */
    public void upgraded(String instanceId, String datastoreVersionId) {
        update(instanceId, "datastore_version_id = ?, task_id = ?, task_description = ?", datastoreVersionId,
                InstanceTask.NONE.code(), InstanceTask.NONE.description());
    }

    /** Sets {@code assignments} (this class's own SQL, never input) with {@code values}, and the row's stamp. */
    private void update(String instanceId, String assignments, Object... values) {
        Object[] arguments = Arrays.copyOf(values, values.length + 1);
        arguments[values.length] = instanceId;
        jdbc.update("UPDATE instances SET " + assignments + ", updated = " + NOW + " WHERE id = ?", arguments);
    }

    public void setServiceStatus(String instanceId, ServiceStatus status) {
        jdbc.update("UPDATE service_statuses SET status_id = ?, status_description = ? WHERE instance_id = ?",
                status.code(), status.description(), instanceId);
    }

    /**
     * The end of a delete: the row soft-deleted (task NONE, server DELETED) and its service status
     * {@code deleted}, soft-deleted too.
     */
    public void markDeleted(String instanceId) {
        jdbc.update("""
                UPDATE instances SET deleted = true, deleted_at = timezone('UTC', now()), task_id = ?,
                       task_description = ?, server_status = ?, updated = timezone('UTC', now())
                 WHERE id = ?
                """, InstanceTask.NONE.code(), InstanceTask.NONE.description(), DELETED_SERVER, instanceId);
        setServiceStatus(instanceId, ServiceStatus.DELETED);
        jdbc.update("UPDATE service_statuses SET deleted = true WHERE instance_id = ?", instanceId);
    }

    /**
     * The servers that should be running: their instance is not deleted, its server was last seen ACTIVE and
     * no {@code delete} flow is taking it away.
     */
    public List<String> serverIdsThatShouldRun() {
        return jdbc.queryForList("""
                SELECT compute_instance_id FROM instances
                 WHERE deleted = false AND compute_instance_id IS NOT NULL AND server_status = 'ACTIVE'
                   AND (flow_name IS NULL OR flow_name <> 'delete')
                """, String.class);
    }

    /**
     * The servers a supervisor keeps running: those that should run, except while they are being built (a guest
     * that dies during its build fails the build, with its exit status, rather than being started again).
     */
    public List<String> serverIdsToSupervise() {
        return jdbc.queryForList("""
                SELECT compute_instance_id FROM instances
                 WHERE deleted = false AND compute_instance_id IS NOT NULL AND server_status = 'ACTIVE'
                   AND task_id <> 5 AND (flow_name IS NULL OR flow_name NOT IN ('delete', 'create'))
                """, String.class);
    }

    /**
     * A powered-off guest cannot say so itself, and its last heartbeat would keep showing HEALTHY for up to the
     * heartbeat expiry after the next start. Records the shutdown with a {@code sent} stamp of now, so that a
     * heartbeat sent before the power-off and delivered late cannot undo it; the guest's first heartbeat after
     * power-on is newer and applies as usual.
     */
    public void recordPoweredOff(String serverId) {
        jdbc.update("""
                UPDATE service_statuses
                   SET status_id = 4, status_description = 'shutdown', updated_at = timezone('UTC', now()),
                       sent = GREATEST(COALESCE(sent, 0), EXTRACT(EPOCH FROM clock_timestamp()))
                 WHERE instance_id IN (SELECT id FROM instances WHERE compute_instance_id = ? AND deleted = false)
                   AND status_description NOT IN ('failed to spawn', 'deleted')
                """, serverId);
    }

    /**
     * The builds the build monitor looks at: those of flow {@code flow} waiting at {@code awaitingStep} or past
     * their deadline, and those still BUILDING without a flow longer than {@code buildTimeout} (their request
     * never reached a task manager).
     */
    public List<BuildState> buildsToCheck(String flow, String awaitingStep, Duration buildTimeout) {
        long timeoutMillis = buildTimeout.toMillis();
        return jdbc.query("""
                SELECT i.id, i.flow_step, i.compute_instance_id, s.status_description, i.flow_name IS NULL AS flowless,
                       i.flow_data ->> 'snapshot_backup_id' AS seed_backup_id,
                       COALESCE(i.flow_deadline < timezone('UTC', now()), false)
                         OR (i.flow_name IS NULL
                             AND i.created < timezone('UTC', now()) - CAST(? AS bigint) * interval '1 millisecond')
                         AS overdue,
                       EXTRACT(EPOCH FROM timezone('UTC', now()) - COALESCE(i.flow_started, i.created))::bigint AS age
                  FROM instances i
                  LEFT JOIN service_statuses s ON s.instance_id = i.id
                 WHERE i.deleted = false
                   AND ((i.flow_name = ? AND (i.flow_step = ? OR i.flow_deadline < timezone('UTC', now())))
                        OR (i.flow_name IS NULL AND i.task_id = ?
                            AND i.created < timezone('UTC', now()) - CAST(? AS bigint) * interval '1 millisecond'))
                """, (rs, n) -> new BuildState(rs.getString("id"), rs.getString("flow_step"),
                        rs.getBoolean("overdue"), rs.getString("compute_instance_id"),
                        rs.getString("status_description"), rs.getLong("age"), rs.getBoolean("flowless"),
                        rs.getString("seed_backup_id")),
                timeoutMillis, flow, awaitingStep, InstanceTask.BUILDING.code(), timeoutMillis);
    }

    /**
     * The instances whose flow {@code flow} waits unowned at {@code step} (handed over to a monitor), with their
     * server, their flow's data and their guest's last heartbeat.
     */
    public List<AwaitingFlow> awaitingFlows(String flow, String step) {
        return jdbc.query("""
                SELECT i.id, i.compute_instance_id, i.flow_data::text AS flow_data, s.status_description,
                       EXTRACT(EPOCH FROM timezone('UTC', now()) - s.updated_at)::bigint AS heartbeat_age
                  FROM instances i
                  LEFT JOIN service_statuses s ON s.instance_id = i.id
                 WHERE i.deleted = false AND i.flow_name = ? AND i.flow_step = ? AND i.flow_owner IS NULL
                """, (rs, n) -> new AwaitingFlow(rs.getString("id"), rs.getString("compute_instance_id"),
                rs.getString("flow_data"), rs.getString("status_description"),
                (Long) rs.getObject("heartbeat_age", Long.class)), flow, step);
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

    /** The message of the newest fault the guest itself reported (its notify_exc_info, via the conductor). */
    public Optional<String> latestGuestFault(String instanceId) {
        List<String> messages = jdbc.query("""
                SELECT message FROM instance_faults
                 WHERE instance_id = ? AND deleted = false AND details LIKE 'Server type: guest%'
                 ORDER BY created DESC LIMIT 1
                """, (rs, n) -> rs.getString(1), instanceId);
        return messages.stream().findFirst();
    }

    // ---- replication ------------------------------------------------------------------------------------------

    /** The instance's replication source ({@code slave_of_id}), if it is a replica. */
    public Optional<String> sourceOf(String instanceId) {
        List<String> ids = jdbc.query("SELECT slave_of_id FROM instances WHERE id = ? AND slave_of_id IS NOT NULL",
                (rs, n) -> rs.getString(1), instanceId);
        return ids.stream().findFirst();
    }

    /** The replicas of {@code sourceId} that are not deleted, oldest first. */
    public List<String> replicasOf(String sourceId) {
        return jdbc.queryForList("""
                SELECT id FROM instances WHERE slave_of_id = ? AND deleted = false ORDER BY created, id
                """, String.class, sourceId);
    }

    /** Makes the instance a replica of {@code sourceId} (null: a standalone instance). */
    public void setSource(String instanceId, String sourceId) {
        update(instanceId, "slave_of_id = ?", sourceId);
    }

    /**
     * Seconds since the guest's last heartbeat was applied ({@code service_statuses.updated_at}); empty when it never
     * reported.
     */
    public Optional<Long> heartbeatAgeSeconds(String instanceId) {
        List<Long> ages = jdbc.query("""
                SELECT EXTRACT(EPOCH FROM timezone('UTC', now()) - updated_at)::bigint FROM service_statuses
                 WHERE instance_id = ? AND updated_at IS NOT NULL
                """, (rs, n) -> rs.getLong(1), instanceId);
        return ages.stream().findFirst();
    }

    /**
     * Sources automatic failover should eject: not deleted, not a replica, no task and no flow, their guest silent for
     * longer than {@code silentSeconds}, with at least one replica (no task, no flow) whose guest reported healthy
     * within that time.
     */
    public List<String> silentSourcesWithHealthyReplicas(long silentSeconds) {
        return jdbc.queryForList("""
                SELECT i.id FROM instances i JOIN service_statuses s ON s.instance_id = i.id
                 WHERE i.deleted = false AND i.slave_of_id IS NULL AND i.task_id = ? AND i.flow_name IS NULL
                   AND s.updated_at < timezone('UTC', now()) - CAST(? AS bigint) * interval '1 second'
                   AND EXISTS (SELECT 1 FROM instances r JOIN service_statuses rs ON rs.instance_id = r.id
                                WHERE r.slave_of_id = i.id AND r.deleted = false AND r.task_id = ?
                                  AND r.flow_name IS NULL AND rs.status_description = ?
                                  AND rs.updated_at >= timezone('UTC', now()) - CAST(? AS bigint) * interval '1 second')
                """, String.class, InstanceTask.NONE.code(), silentSeconds, InstanceTask.NONE.code(),
                ServiceStatus.HEALTHY.description(), silentSeconds);
    }

    /**
     * Sets {@code task} on the source and its replicas, all or none: only if none of them has a task or a flow
     * (another task manager, or a user's action, came first otherwise).
     */
    public boolean claimReplicationSet(String sourceId, InstanceTask task) {
        Integer busy = jdbc.queryForObject("""
                SELECT count(*) FROM instances WHERE (id = ? OR (slave_of_id = ? AND deleted = false))
                   AND (task_id <> ? OR flow_name IS NOT NULL)
                """, Integer.class, sourceId, sourceId, InstanceTask.NONE.code());
        if (busy == null || busy > 0) {
            return false;
        }
        jdbc.update("""
                UPDATE instances SET task_id = ?, task_description = ?, updated = timezone('UTC', now())
                 WHERE id = ? OR (slave_of_id = ? AND deleted = false)
                """, task.code(), task.description(), sourceId, sourceId);
        return true;
    }
}
