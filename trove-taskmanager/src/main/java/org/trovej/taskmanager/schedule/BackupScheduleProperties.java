package org.trovej.taskmanager.schedule;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Scheduled backups, under {@code trovej.backup-schedule}.
 *
 * @param pollInterval how often the task manager looks for slots that have come and for expired backups: a slot
 *                     runs at most this late
 */
@ConfigurationProperties(prefix = "trovej.backup-schedule")
public record BackupScheduleProperties(Duration pollInterval) {

    public BackupScheduleProperties {
        pollInterval = pollInterval == null ? Duration.ofSeconds(10) : pollInterval;
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("trovej.backup-schedule.poll-interval must be positive");
        }
    }
}
