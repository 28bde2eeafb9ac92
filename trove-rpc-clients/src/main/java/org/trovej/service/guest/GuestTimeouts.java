package org.trovej.service.guest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Trove's guest call timeouts: {@code agent_call_low_timeout}, {@code agent_call_high_timeout},
 * {@code agent_replication_snapshot_timeout}.
 */
@ConfigurationProperties(prefix = "trovej.guest.timeouts")
public record GuestTimeouts(Duration low, Duration high, Duration snapshot) {
    public GuestTimeouts {
        low = low == null ? Duration.ofSeconds(15) : low;
        high = high == null ? Duration.ofSeconds(180) : high;
        snapshot = snapshot == null ? Duration.ofSeconds(1800) : snapshot;
    }
}
