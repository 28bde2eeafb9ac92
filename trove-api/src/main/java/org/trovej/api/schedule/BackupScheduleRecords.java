package org.trovej.api.schedule;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The API's owner of {@code backup_schedules} (V7): one schedule per instance, set and removed through the API's
 * extension. The task manager moves {@code next_slot} on and records each run; setting a schedule starts it afresh
 * from its next slot, so a changed cron never runs an old slot.
 */
@Repository
class BackupScheduleRecords {

    private final JdbcTemplate jdbc;

    BackupScheduleRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<BackupScheduleRow> find(String instanceId) {
        return jdbc.query("""
                SELECT s.*, b.state AS last_backup_state, b.failure_reason AS last_backup_failure
                  FROM backup_schedules s LEFT JOIN backups b ON b.id = s.last_backup_id
                 WHERE s.instance_id = ?
                """, BackupScheduleRecords::row, instanceId).stream().findFirst();
    }

    void upsert(String instanceId, String tenantId, BackupScheduleSpec spec, LocalDateTime nextSlot,
                LocalDateTime now) {
        jdbc.update("""
                INSERT INTO backup_schedules (instance_id, tenant_id, cron, timezone, keep_count, keep_days, full_every,
                                              next_slot, created, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (instance_id) DO UPDATE SET cron = EXCLUDED.cron, timezone = EXCLUDED.timezone,
                       keep_count = EXCLUDED.keep_count, keep_days = EXCLUDED.keep_days,
                       full_every = EXCLUDED.full_every, next_slot = EXCLUDED.next_slot, updated = EXCLUDED.updated
                """, instanceId, tenantId, spec.cron(), spec.timezone(), spec.keepCount(), spec.keepDays(),
                spec.fullEvery(), Timestamp.valueOf(nextSlot), Timestamp.valueOf(now), Timestamp.valueOf(now));
    }

    boolean delete(String instanceId) {
        return jdbc.update("DELETE FROM backup_schedules WHERE instance_id = ?", instanceId) > 0;
    }

    private static BackupScheduleRow row(ResultSet rs, int n) throws SQLException {
        String lastError = rs.getString("last_error");
        if (lastError == null && "FAILED".equals(rs.getString("last_backup_state"))) {
            lastError = rs.getString("last_backup_failure");
        }
        return new BackupScheduleRow(rs.getString("instance_id"), rs.getString("tenant_id"), rs.getString("cron"),
                rs.getString("timezone"), (Integer) rs.getObject("keep_count"), (Integer) rs.getObject("keep_days"),
                rs.getInt("full_every"), time(rs, "next_slot"), time(rs, "last_slot"), rs.getString("last_backup_id"),
                rs.getString("last_backup_state"), lastError, time(rs, "created"), time(rs, "updated"));
    }

    private static LocalDateTime time(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toLocalDateTime();
    }
}
