package org.trovej.conductor.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.conductor.lastseen.MessageOrderGuard;

/**
 * {@code update_backup}: the guest's progress on a backup (state, size, checksum, location, type, and TroveJ's
 * {@code failure_reason}: why a backup FAILED, in the guest's words, and {@code log_position}: where point-in-time
 * restore's shipped log continues after it; Trove's guest sends neither). Only the
 * fields that are backup columns are copied, only onto a backup of the sending instance, and only if no newer
 * update was applied already.
 */
@Component
public class BackupProgressRecorder {

    private static final Logger log = LoggerFactory.getLogger(BackupProgressRecorder.class);

    /** Argument name → column, for the fields a guest may set. */
    private static final Map<String, String> FIELDS = Map.of(
            "state", "state",
            "size", "size",
            "checksum", "checksum",
            "location", "location",
            "backup_type", "backup_type",
            "failure_reason", "failure_reason",
            "log_position", "log_position");

    private final JdbcTemplate jdbc;
    private final MessageOrderGuard order;
    private final BackupMetrics metrics;

    public BackupProgressRecorder(JdbcTemplate jdbc, MessageOrderGuard order, BackupMetrics metrics) {
        this.jdbc = jdbc;
        this.order = order;
        this.metrics = metrics;
    }

    @Transactional
    public void record(String instanceId, String backupId, Double sent, RpcArgs args) {
        if (!order.claim(instanceId, "update_backup", sent)) {
            log.info("update_backup for {} dropped: a newer update was applied already", backupId);
            return;
        }
        StringBuilder sql = new StringBuilder("UPDATE backups SET updated = timezone('UTC', now())");
        List<Object> values = new ArrayList<>();
        for (Map.Entry<String, String> field : FIELDS.entrySet()) {
            JsonNode value = args.optional(field.getKey());
            if (value != null) {
                sql.append(", ").append(field.getValue()).append(" = ?");
                values.add(value.isNumber() ? (Object) value.doubleValue() : value.asText());
            }
        }
        JsonNode state = args.optional("state");
        if (state != null && !"FAILED".equals(state.asText()) && args.optional("failure_reason") == null) {
            // a backup that finished after all (the task manager may have given up on it) keeps no stale reason
            sql.append(", failure_reason = NULL");
        }
        sql.append(" WHERE id = ? AND instance_id = ? AND deleted = false"
                + " RETURNING state, size, EXTRACT(EPOCH FROM (updated - created)), parent_id IS NOT NULL");
        values.add(backupId);
        values.add(instanceId);
        List<BackupEnd> rows = jdbc.query(sql.toString(), (rs, n) -> new BackupEnd(rs.getString(1),
                (Double) rs.getObject(2), (Number) rs.getObject(3), rs.getBoolean(4)), values.toArray());
        if (rows.isEmpty()) {
            log.error("update_backup: backup {} is not a live backup of instance {}; nothing changed", backupId,
                    instanceId);
        } else if (state != null) {
            metrics.recordEnd(rows.get(0));
        }
    }
}
