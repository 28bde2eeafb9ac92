package org.trovej.taskmanager.schedule;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The task manager's owner of {@code backup_schedules} (V7): which slots are due, the claim of one (moving
 * {@code next_slot} on in one conditional update, so that of several task managers exactly one runs each slot), and
 * what a run made. Also the reads retention needs of {@code backups}' scheduled rows.
 */
@Component
public class ScheduleRecords {

    private static final String NOW = "timezone('UTC', now())";

    private final JdbcTemplate jdbc;

    public ScheduleRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A schedule whose slot has come. */
    public record Due(String instanceId, String tenantId, String cron, String timezone, int fullEvery,
                      LocalDateTime slot) {
    }

    /** Schedules whose next slot has come, oldest slot first. */
    public List<Due> due(int limit) {
        return jdbc.query("SELECT instance_id, tenant_id, cron, timezone, full_every, next_slot FROM backup_schedules "
                + "WHERE next_slot <= " + NOW + " ORDER BY next_slot LIMIT ?",
                (rs, n) -> new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getTimestamp(6).toLocalDateTime()), limit);
    }

    /**
     * Takes the slot: only if the schedule is still at it (another task manager, or a PUT that replaced the
     * schedule, has not moved it on), sets the next one.
     *
     * @return whether this call took it
     */
    public boolean claim(String instanceId, LocalDateTime slot, LocalDateTime next) {
        return jdbc.update("UPDATE backup_schedules SET next_slot = ?, last_slot = ?, last_backup_id = NULL, "
                + "last_error = NULL, updated = " + NOW + " WHERE instance_id = ? AND next_slot = ?",
                Timestamp.valueOf(next), Timestamp.valueOf(slot), instanceId, Timestamp.valueOf(slot)) > 0;
    }

    /** The slot's backup, once recorded. */
    public void ran(String instanceId, LocalDateTime slot, String backupId) {
        jdbc.update("UPDATE backup_schedules SET last_backup_id = ?, updated = " + NOW
                + " WHERE instance_id = ? AND last_slot = ?", backupId, instanceId, Timestamp.valueOf(slot));
    }

    /** Why the slot made no backup. */
    public void skipped(String instanceId, LocalDateTime slot, String reason) {
        jdbc.update("UPDATE backup_schedules SET last_error = ?, updated = " + NOW
                + " WHERE instance_id = ? AND last_slot = ?", reason, instanceId, Timestamp.valueOf(slot));
    }

    /** Schedules of deleted instances go with them (the backups they made stay, as every backup does). */
    public int dropDeleted() {
        return jdbc.update("DELETE FROM backup_schedules s USING instances i WHERE i.id = s.instance_id AND i.deleted");
    }

    /** A backup of an instance with a schedule, as retention weighs it. */
    public record Kept(String instanceId, String id, String parentId, String state, LocalDateTime slot,
                       LocalDateTime created, String tenantId, Integer keepCount, Integer keepDays) {
    }

    /**
     * Every live backup of every instance that has a schedule with a retention, scheduled or not (a manual
     * incremental on a scheduled backup needs its parent): what retention decides on.
     */
    public List<Kept> backupsUnderRetention() {
        return jdbc.query("""
                SELECT b.instance_id, b.id, b.parent_id, b.state, b.schedule_slot, b.created, b.tenant_id,
                       s.keep_count, s.keep_days
                  FROM backup_schedules s JOIN backups b ON b.instance_id = s.instance_id AND b.deleted = false
                 ORDER BY b.instance_id, b.created
                """, (rs, n) -> new Kept(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toLocalDateTime(),
                rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toLocalDateTime(), rs.getString(7),
                (Integer) rs.getObject(8), (Integer) rs.getObject(9)));
    }

    /** The project's backup container for the instance (backup_strategy), as the API's create reads it; or null. */
    public String container(String tenantId, String instanceId) {
        List<String> found = jdbc.queryForList("SELECT swift_container FROM backup_strategy WHERE tenant_id = ? "
                + "AND instance_id IN (?, '') ORDER BY instance_id DESC LIMIT 1", String.class, tenantId, instanceId);
        return found.isEmpty() ? null : found.get(0);
    }
}
