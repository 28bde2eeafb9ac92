package org.trovej.conductor;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param prefetch       messages taken from the broker ahead of being recorded
 * @param workers        threads opening (decrypting) and dispatching messages
 * @param heartbeatBatch heartbeats written to the database in one transaction at most
 */
@ConfigurationProperties(prefix = "trovej.conductor")
public record ConductorProperties(Integer prefetch, Integer workers, Integer heartbeatBatch) {
    public ConductorProperties {
        prefetch = prefetch == null ? 2000 : prefetch;
        workers = workers == null ? 2 : workers;
        heartbeatBatch = heartbeatBatch == null ? 1000 : heartbeatBatch;
    }
}
