package org.trovej.api.log;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Guest log settings under {@code trovej.guest-log}.
 *
 * @param container the container guests publish into: Trove's {@code guest_log_container_name}, which guests read
 *                  from their own configuration; the local store's grant names it, so the two must agree (default
 *                  {@code database_logs} on both sides)
 * @param grantTtl  how long the local store's grant a guest gets for one list or action stays valid (default 15 min)
 */
@ConfigurationProperties(prefix = "trovej.guest-log")
public record GuestLogProperties(String container, Duration grantTtl) {

    public GuestLogProperties {
        container = container == null || container.isBlank() ? "database_logs" : container;
        grantTtl = grantTtl == null ? Duration.ofMinutes(15) : grantTtl;
    }
}
