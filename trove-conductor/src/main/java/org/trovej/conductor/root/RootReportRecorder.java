package org.trovej.conductor.root;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code report_root}: remembers that root was enabled on an instance (REST {@code rootEnabled}). */
@Component
public class RootReportRecorder {

    private final JdbcTemplate jdbc;

    public RootReportRecorder(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The first report is kept, as Trove keeps its first root history record. */
    public void record(String instanceId, String user) {
        jdbc.update("""
                INSERT INTO root_enabled_history (instance_id, user_id, created)
                SELECT ?, ?, timezone('UTC', now()) WHERE EXISTS (SELECT 1 FROM instances WHERE id = ?)
                ON CONFLICT (instance_id) DO NOTHING
                """, instanceId, user, instanceId);
    }
}
