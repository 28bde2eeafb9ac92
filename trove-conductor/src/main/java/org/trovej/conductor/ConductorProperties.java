package org.trovej.conductor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param prefetch       messages taken from the broker ahead of being recorded
 * @param workers        threads opening (decrypting) and dispatching messages
 * @param heartbeatBatch heartbeats written to the database in one transaction at most
 * @param autoStartup    consume as soon as the application is up (false: only when started explicitly)
 * @param inventoryInterval how often the instance and backup gauges are read from the database (15 s)
 * @param instanceGauges one series per instance (status, heartbeat age); off, only the totals by status remain
 */
@ConfigurationProperties(prefix = "trovej.conductor")
public record ConductorProperties(Integer prefetch, Integer workers, Integer heartbeatBatch, Boolean autoStartup,
                                  Duration inventoryInterval, Boolean instanceGauges) {
    public ConductorProperties {
        inventoryInterval = inventoryInterval == null ? Duration.ofSeconds(15) : inventoryInterval;
        instanceGauges = instanceGauges == null ? Boolean.TRUE : instanceGauges;
        autoStartup = autoStartup == null ? Boolean.TRUE : autoStartup;
        prefetch = prefetch == null ? 2000 : prefetch;
        workers = workers == null ? 2 : workers;
        heartbeatBatch = heartbeatBatch == null ? 1000 : heartbeatBatch;
    }
}
