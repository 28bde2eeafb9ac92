package org.trovej.api.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.trovej.api.web.Timestamps;

/**
 * A schedule as the extension and the instance's detail view show it (times UTC, in Trove's format): when it runs
 * next, what its last slot made and, when that made no backup or the backup failed, why.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BackupScheduleView(@JsonProperty("instance_id") String instanceId, String cron, String timezone,
                                 @JsonProperty("keep_count") Integer keepCount,
                                 @JsonProperty("keep_days") Integer keepDays,
                                 @JsonProperty("full_every") int fullEvery,
                                 @JsonProperty("next_run") String nextRun, @JsonProperty("last_run") String lastRun,
                                 @JsonProperty("last_backup_id") String lastBackupId,
                                 @JsonProperty("last_backup_status") String lastBackupStatus,
                                 @JsonProperty("last_error") String lastError, String created, String updated) {

    static BackupScheduleView of(BackupScheduleRow row) {
        return new BackupScheduleView(row.instanceId(), row.cron(), row.timezone(), row.keepCount(), row.keepDays(),
                row.fullEvery(), Timestamps.format(row.nextSlot()), Timestamps.format(row.lastSlot()),
                row.lastBackupId(), row.lastBackupState(), row.lastError(), Timestamps.format(row.created()),
                Timestamps.format(row.updated()));
    }

    /** The body of the extension's answers. */
    public record Show(@JsonProperty("backup_schedule") BackupScheduleView schedule) {
    }
}
