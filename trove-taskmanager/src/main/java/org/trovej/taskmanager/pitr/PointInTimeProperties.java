package org.trovej.taskmanager.pitr;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Point-in-time restore's log shipping, under {@code trovej.pitr}.
 *
 * @param shipInterval  how often a guest closes its current log file and ships what is new: how far behind "now" the
 *                      restorable window may end (60 s by default, as Trove's {@code archive_timeout} would be)
 * @param grantRenewal  how often the task manager casts {@code set_log_shipping} again with a fresh store grant
 *                      (the grant holds {@code trovej.backup.token-ttl}); also how long a restarted guest may wait
 *                      for its first one
 * @param pollInterval  how often the task manager looks for instances that have a backup to continue from
 */
@ConfigurationProperties(prefix = "trovej.pitr")
public record PointInTimeProperties(Duration shipInterval, Duration grantRenewal, Duration pollInterval) {

    public PointInTimeProperties {
        shipInterval = shipInterval == null ? Duration.ofSeconds(60) : shipInterval;
        grantRenewal = grantRenewal == null ? Duration.ofMinutes(5) : grantRenewal;
        pollInterval = pollInterval == null ? Duration.ofSeconds(10) : pollInterval;
        if (shipInterval.toSeconds() < 1 || grantRenewal.toSeconds() < 1 || pollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("trovej.pitr: the ship interval and grant renewal must be at least a "
                    + "second, the poll interval positive");
        }
    }
}
