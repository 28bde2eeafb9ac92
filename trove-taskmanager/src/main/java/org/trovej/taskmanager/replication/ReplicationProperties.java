package org.trovej.taskmanager.replication;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Replication settings, under {@code trovej.replication}.
 *
 * @param automaticFailover when a source's guest has been silent for {@code failoverAfter} while one of its replicas
 *                          reports healthy, the task manager ejects the source itself ({@link AutomaticFailover}). Off
 *                          by default, as Trove has no such thing: an operator turns it on knowingly.
 * @param failoverAfter     how long a source's guest must have been silent (Trove's {@code agent_heartbeat_expiry}
 *                          is 60 s); at least twice the guests' heartbeat interval
 * @param checkInterval     how often sources are looked at
 */
@ConfigurationProperties(prefix = "trovej.replication")
public record ReplicationProperties(Boolean automaticFailover, Duration failoverAfter, Duration checkInterval) {

    public ReplicationProperties {
        automaticFailover = automaticFailover != null && automaticFailover;
        failoverAfter = failoverAfter == null ? Duration.ofSeconds(60) : failoverAfter;
        checkInterval = checkInterval == null ? Duration.ofSeconds(5) : checkInterval;
        if (failoverAfter.toSeconds() < 10) {
            throw new IllegalArgumentException("trovej.replication.failover-after must be at least 10s: a guest "
                    + "heart-beats every few seconds and a busy one must not be taken for dead");
        }
    }
}
