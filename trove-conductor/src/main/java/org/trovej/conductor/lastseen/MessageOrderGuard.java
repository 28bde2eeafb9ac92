package org.trovej.conductor.lastseen;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Trove's {@code conductor_lastseen}: per instance and method, the {@code sent} stamp of the newest message
 * applied, so that a message overtaken by a newer one is dropped. Claiming is one atomic upsert.
 */
@Component
public class MessageOrderGuard {

    private final JdbcTemplate jdbc;

    public MessageOrderGuard(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records {@code sent} as the newest for (instance, method) unless a newer or equal one was seen. Call inside
     * the transaction that applies the message.
     *
     * @return false when the message is too old and must be dropped
     */
    public boolean claim(String instanceId, String method, Double sent) {
        if (sent == null) {
            return true; // Trove applies messages that carry no stamp
        }
        Integer claimed = jdbc.query("""
                INSERT INTO conductor_lastseen (instance_id, method_name, sent) VALUES (?, ?, ?)
                ON CONFLICT (instance_id, method_name) DO UPDATE SET sent = EXCLUDED.sent
                 WHERE conductor_lastseen.sent IS NULL OR conductor_lastseen.sent < EXCLUDED.sent
                RETURNING 1
                """, rs -> rs.next() ? 1 : null, instanceId, method, sent);
        return claimed != null;
    }
}
