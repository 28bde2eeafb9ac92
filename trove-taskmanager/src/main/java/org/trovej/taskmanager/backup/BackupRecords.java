package org.trovej.taskmanager.backup;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.trovej.common.backup.BackupState;
import org.trovej.common.backup.BackupType;

/**
 * The task manager's one way to the {@code backups} table: a backup as a flow sees it, what a restore needs to know
 * of it, and the ends the task manager gives backups (FAILED with a reason, deleted, DELETE_FAILED). Every write
 * joins the caller's transaction, if there is one.
 */
@Component
public class BackupRecords {

    private static final String NOW = "timezone('UTC', now())";

    private final JdbcTemplate jdbc;

    public BackupRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String backupId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM backups WHERE id = ? AND deleted = false",
                Integer.class, backupId);
        return count != null && count > 0;
    }

    /** The backup, deleted or not. */
    public Optional<BackupRow> find(String backupId) {
        List<BackupRow> rows = jdbc.query("""
                SELECT id, tenant_id, instance_id, state, location, backup_type, checksum, storage_driver, deleted,
                       COALESCE(EXTRACT(EPOCH FROM %s - created)::bigint, 0) AS age
                  FROM backups WHERE id = ?
                """.formatted(NOW), (rs, n) -> new BackupRow(rs.getString("id"), rs.getString("tenant_id"),
                rs.getString("instance_id"), BackupState.parse(rs.getString("state")), rs.getString("location"),
                rs.getString("backup_type"), rs.getString("checksum"), rs.getString("storage_driver"),
                rs.getBoolean("deleted"), rs.getLong("age")), backupId);
        return rows.stream().findFirst();
    }

    /** A live instance with a completed backup its shipped log can continue; {@code location}: its newest one's. */
    public record LogContinuation(String instanceId, String tenantId, String location) {
    }

    /** Every live instance with a live completed backup that records its log position (point-in-time restore). */
    public List<LogContinuation> logContinuations() {
        return jdbc.query("""
                SELECT DISTINCT ON (b.instance_id) b.instance_id, i.tenant_id, b.location
                  FROM backups b JOIN instances i ON i.id = b.instance_id
                 WHERE b.deleted = false AND b.state = 'COMPLETED' AND b.log_position IS NOT NULL
                   AND b.location IS NOT NULL AND i.deleted = false
                 ORDER BY b.instance_id, b.updated DESC
                """, (rs, n) -> new LogContinuation(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /**
     * Where the backup's ancestors are stored (its parent's location first, then the parent's parent's ...): an
     * incremental's restore reads them all. Deleted or unstored ancestors are left out; the restore then fails on
     * the missing object, naming it.
     */
    public List<String> ancestorLocations(String backupId) {
        return jdbc.queryForList("""
                WITH RECURSIVE chain(id, parent_id, location, depth) AS (
                    SELECT id, parent_id, location, 0 FROM backups WHERE id = ?
                  UNION ALL
                    SELECT b.id, b.parent_id, b.location, c.depth + 1
                      FROM backups b JOIN chain c ON b.id = c.parent_id
                     WHERE c.depth < 1000 AND b.deleted = false
                )
                SELECT location FROM chain WHERE depth > 0 AND location IS NOT NULL ORDER BY depth
                """, String.class, backupId);
    }

    /**
     * Running backups no flow watches: their instance deleted (or gone) during the backup, or, for {@code grace},
     * no {@code create_backup} flow on it (a task manager lost it; the grace leaves time for a request still
     * queued). Reads the instance's flow name, which only {@code FlowStore} writes.
     */
    public List<String> runningWithoutFlow(java.time.Duration grace) {
        return jdbc.queryForList("""
                SELECT b.id FROM backups b
                  LEFT JOIN instances i ON i.id = b.instance_id
                 WHERE b.deleted = false AND b.state IN ('NEW', 'BUILDING', 'SAVING')
                   AND (i.id IS NULL OR i.deleted
                        OR (i.flow_name IS DISTINCT FROM ?
                            AND b.created < %s - CAST(? AS bigint) * interval '1 millisecond'))
                """.formatted(NOW), String.class, CreateBackupFlow.NAME, grace.toMillis());
    }

    /**
     * Ends a backup that is still running (NEW, BUILDING, SAVING) as FAILED with {@code reason}; a backup the guest
     * has finished meanwhile keeps its state.
     *
     * @return whether this call failed it
     */
    public boolean failIfRunning(String backupId, String reason) {
        return jdbc.update("UPDATE backups SET state = ?, failure_reason = ?, updated = " + NOW
                + " WHERE id = ? AND deleted = false AND state IN ('NEW', 'BUILDING', 'SAVING')",
                BackupState.FAILED.name(), reason, backupId) > 0;
    }

    /**
     * The end of a delete: soft-deleted, and its datastore version let go as Trove does so that a version can be
     * removed once only deleted backups refer to it.
     *
     * @return whether this call deleted it (false: deleted already)
     */
    public boolean markDeleted(String backupId) {
        return jdbc.update("UPDATE backups SET deleted = true, deleted_at = " + NOW + ", datastore_version_id = NULL, "
                + "updated = " + NOW + " WHERE id = ? AND deleted = false", backupId) > 0;
    }

    /** A delete whose objects could not be removed: DELETE_FAILED with why, left visible so it can be tried again. */
    public void deleteFailed(String backupId, String reason) {
        jdbc.update("UPDATE backups SET state = ?, failure_reason = ?, updated = " + NOW
                + " WHERE id = ? AND deleted = false", BackupState.DELETE_FAILED.name(), reason, backupId);
    }

    /**
     * A replication snapshot's backup (Trove's get_replication_master_snapshot creates the same record): NEW, full,
     * of {@code sourceId}, in the source's project; the guest's {@code update_backup} reports then fill it in.
     */
    public void createSnapshot(String backupId, String replicaId, String sourceId, String tenantId,
                               String datastoreVersionId) {
        jdbc.update("""
                INSERT INTO backups (id, name, description, backup_type, tenant_id, state, instance_id,
                                     datastore_version_id, storage_driver, created, updated, deleted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'swift', %1$s, %1$s, false)
                """.formatted(NOW), backupId, "Replication snapshot for " + replicaId,
                "Backup image used to initialize replication slave", BackupType.FULL, tenantId,
                BackupState.NEW.name(), sourceId, datastoreVersionId);
    }

    /** A scheduled backup as the next slot's full-or-incremental choice reads it. */
    public record Scheduled(String id, BackupState state, String parentId, String location, String checksum) {
    }

    /** The instance's newest scheduled backups (not deleted), newest first. */
    public List<Scheduled> newestScheduled(String instanceId, int limit) {
        return jdbc.query("""
                SELECT id, state, parent_id, location, checksum FROM backups
                 WHERE instance_id = ? AND schedule_slot IS NOT NULL AND deleted = false
                 ORDER BY schedule_slot DESC LIMIT ?
                """, (rs, n) -> new Scheduled(rs.getString(1), BackupState.parse(rs.getString(2)), rs.getString(3),
                rs.getString(4), rs.getString(5)), instanceId, limit);
    }

    /** Whether a backup of the instance is running (NEW, BUILDING, SAVING). */
    public boolean runningOf(String instanceId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM backups WHERE instance_id = ? AND deleted = false "
                + "AND state IN ('NEW', 'BUILDING', 'SAVING')", Integer.class, instanceId);
        return n != null && n > 0;
    }

    /**
     * A scheduled backup, NEW, in the instance's project: one per slot ({@code backups_schedule_slot_uq}), so a
     * slot run twice fails on the index instead of making a second backup.
     */
    public void createScheduled(String id, String name, String instanceId, String tenantId, String type,
                                String parentId, String datastoreVersionId, java.time.LocalDateTime slot) {
        jdbc.update("""
                INSERT INTO backups (id, name, description, backup_type, tenant_id, state, instance_id, parent_id,
                                     datastore_version_id, storage_driver, created, updated, deleted, schedule_slot)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'swift', %1$s, %1$s, false, ?)
                """.formatted(NOW), id, name, "Scheduled backup", type, tenantId, BackupState.NEW.name(), instanceId,
                parentId, datastoreVersionId, java.sql.Timestamp.valueOf(slot));
    }
}
