package org.trovej.conductor;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param prefetch       messages taken from the broker ahead of being recorded
 * @param workers        threads opening (decrypting) and dispatching messages
 * @param heartbeatBatch heartbeats written to the database in one transaction at most
 * @param autoStartup    consume as soon as the application is up (false: only when started explicitly)
 */
@ConfigurationProperties(prefix = "trovej.conductor")
public record ConductorProperties(Integer prefetch, Integer workers, Integer heartbeatBatch, Boolean autoStartup) {
    public ConductorProperties {
        autoStartup = autoStartup == null ? Boolean.TRUE : autoStartup;
        prefetch = prefetch == null ? 2000 : prefetch;
        workers = workers == null ? 2 : workers;
        heartbeatBatch = heartbeatBatch == null ? 1000 : heartbeatBatch;
    }
}
