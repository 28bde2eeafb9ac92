package org.trovej.api.backup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Backup settings under {@code trovej.api.backups}, after Trove's options.
 *
 * @param pageSize       Trove's {@code backups_page_size}: a list page's size when the request gives no
 *                       {@code limit} (a larger limit is not capped, as in Trove)
 * @param runningExpires Trove's {@code running_backups_expires} (3 days): a backup still running after this long
 *                       is taken to hang and may be deleted
 */
@ConfigurationProperties(prefix = "trovej.api.backups")
public record BackupProperties(Integer pageSize, Duration runningExpires) {

    public BackupProperties {
        pageSize = pageSize == null ? 20 : pageSize;
        runningExpires = runningExpires == null ? Duration.ofDays(3) : runningExpires;
        if (pageSize < 1 || runningExpires.isNegative()) {
            throw new IllegalArgumentException("trovej.api.backups: page-size must be positive and running-expires "
                    + "not negative");
        }
    }
}
