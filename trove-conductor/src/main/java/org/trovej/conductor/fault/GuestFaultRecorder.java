package org.trovej.conductor.fault;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code notify_exc_info}: a guest operation failed; the error becomes the instance's fault shown by the API. */
@Component
public class GuestFaultRecorder {

    private final JdbcTemplate jdbc;

    public GuestFaultRecorder(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String instanceId, String message, JsonNode traceback) {
        StringBuilder details = new StringBuilder("Server type: guest\n");
        if (traceback != null && traceback.isArray()) {
            traceback.forEach(line -> details.append(line.asText()));
        } else if (traceback != null) {
            details.append(traceback.asText());
        }
        jdbc.update("""
                INSERT INTO instance_faults (id, instance_id, message, details, created, updated, deleted)
                SELECT ?, ?, ?, ?, timezone('UTC', now()), timezone('UTC', now()), false
                 WHERE EXISTS (SELECT 1 FROM instances WHERE id = ?)
                """, UUID.randomUUID().toString(), instanceId, message == null ? "" : message, details.toString(),
                instanceId);
    }
}
