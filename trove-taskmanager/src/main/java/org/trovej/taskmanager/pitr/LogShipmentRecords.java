package org.trovej.taskmanager.pitr;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The task manager's side of {@code log_shipments} (the conductor inserts the rows, trove-service-core's
 * {@code RestorePoints} reads them for restores): which shipped pieces no restore can use any more, and marking
 * them deleted once their objects are gone.
 */
@Component
public class LogShipmentRecords {

    private final JdbcTemplate jdbc;

    public LogShipmentRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A shipped piece: its row, its project and where its object is. */
    public record Piece(long id, String instanceId, String tenantId, String location) {
    }

    /**
     * Pieces that end before the log position of every live completed backup of their instance (none of those
     * backups replays them), or all of an instance's pieces when it has no such backup left. At most
     * {@code limit}, oldest first.
     */
    public List<Piece> unusable(int limit) {
        return jdbc.query("""
                SELECT l.id, l.instance_id, l.tenant_id, l.location FROM log_shipments l
                 WHERE l.deleted = false
                   AND NOT EXISTS (SELECT 1 FROM backups b WHERE b.instance_id = l.instance_id AND b.deleted = false
                                      AND b.state = 'COMPLETED' AND b.log_position IS NOT NULL
                                      AND b.log_position <= l.last_position)
                 ORDER BY l.id LIMIT ?
                """, (rs, n) -> new Piece(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)), limit);
    }

    public void markDeleted(long id) {
        jdbc.update("UPDATE log_shipments SET deleted = true WHERE id = ?", id);
    }
}
