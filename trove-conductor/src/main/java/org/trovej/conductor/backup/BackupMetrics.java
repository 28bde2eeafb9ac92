package org.trovej.conductor.backup;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Backups as the guests report their end: {@code trovej_backups_finished_total{state}}, and for completed ones their
 * size ({@code trovej_backup_size_bytes}) and how long they took from the request ({@code
 * trovej_backup_duration_seconds}), by kind (full or incremental). A backup the task manager gives up on (its
 * guest went silent) never reports: the inventory's {@code trovej_backups{state="FAILED"}} counts it.
 */
@Component
public class BackupMetrics {

    private static final double BYTES_PER_GB = 1024d * 1024 * 1024;

    private final MeterRegistry registry;

    public BackupMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void recordEnd(BackupEnd end) {
        if (!end.finished()) {
            return;
        }
        String kind = end.kind();
        Counter.builder("trovej.backups.finished").tag("state", end.state()).tag("kind", kind)
                .description("Backups that ended, as their guest reported").register(registry).increment();
        if (!"COMPLETED".equals(end.state())) {
            return;
        }
        if (end.sizeGb() != null) {
            DistributionSummary.builder("trovej.backup.size").baseUnit("bytes").tag("kind", kind)
                    .description("Size of completed backups, as stored")
                    .register(registry).record(end.sizeGb() * BYTES_PER_GB);
        }
        if (end.seconds() != null) {
            Timer.builder("trovej.backup.duration").tag("kind", kind)
                    .description("From a backup's request to its completion")
                    .register(registry).record(Duration.ofMillis(Math.round(end.seconds().doubleValue() * 1000)));
        }
    }
}
