package org.trovej.conductor.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.trovej.common.status.InstanceStatus;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;

/** The conductor's reads for {@link InventoryGauges}: live instances with their status inputs, backups by state. */
@Component
public class InventoryRecords {

    /**
     * One live instance: the API's status, the guest's health as the API names it, the heartbeat's age, and its
     * volume's size and used space (GB; used as its guest last reported it, or null).
     */
    public record InstanceRow(String id, String tenantId, String status, String health, Double heartbeatAgeSeconds,
                              Integer volumeSizeGb, Double volumeUsedGb) {
    }

    private final JdbcTemplate jdbc;

    public InventoryRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<InstanceRow> instances() {
        return jdbc.query("""
                SELECT i.id, i.tenant_id, i.task_id, i.server_status, s.status_id,
                       EXTRACT(EPOCH FROM (timezone('UTC', now()) - s.updated_at)),
                       EXISTS (SELECT 1 FROM backups b WHERE b.instance_id = i.id AND b.deleted = false
                                  AND b.state IN ('NEW', 'BUILDING', 'SAVING')),
                       i.volume_size, s.volume_used
                  FROM instances i LEFT JOIN service_statuses s ON s.instance_id = i.id
                 WHERE i.deleted = false
                """, (rs, n) -> {
                    InstanceTask task = InstanceTask.fromCode((Integer) rs.getObject(3));
                    Integer service = (Integer) rs.getObject(5);
                    Number age = (Number) rs.getObject(6);
                    return new InstanceRow(rs.getString(1), rs.getString(2),
                            InstanceStatus.of(task, rs.getString(4), rs.getBoolean(7)),
                            service == null ? "NONE" : ServiceStatus.fromCode(service).apiName(),
                            age == null ? null : age.doubleValue(), (Integer) rs.getObject(8),
                            (Double) rs.getObject(9));
                });
    }

    /** Seconds since the end of each live instance's restorable window (point-in-time restore), by instance id. */
    public Map<String, Double> logShippingLags() {
        Map<String, Double> lags = new LinkedHashMap<>();
        jdbc.query("""
                SELECT l.instance_id, EXTRACT(EPOCH FROM (timezone('UTC', now()) - max(l.restorable_until)))
                  FROM log_shipments l JOIN instances i ON i.id = l.instance_id
                 WHERE l.deleted = false AND i.deleted = false
                 GROUP BY l.instance_id
                """, rs -> {
                    lags.put(rs.getString(1), ((Number) rs.getObject(2)).doubleValue());
                });
        return lags;
    }

    public Map<String, Integer> backupsByState() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbc.query("SELECT state, count(*) FROM backups WHERE deleted = false GROUP BY state",
                rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                });
        return counts;
    }
}
