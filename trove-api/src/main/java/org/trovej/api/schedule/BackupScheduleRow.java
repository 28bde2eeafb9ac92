package org.trovej.api.schedule;

import java.time.LocalDateTime;

/** A row of {@code backup_schedules} as the API reads it, with its newest backup's state and failure. */
record BackupScheduleRow(String instanceId, String tenantId, String cron, String timezone, Integer keepCount,
                         Integer keepDays, int fullEvery, LocalDateTime nextSlot, LocalDateTime lastSlot,
                         String lastBackupId, String lastBackupState, String lastError, LocalDateTime created,
                         LocalDateTime updated) {
}
