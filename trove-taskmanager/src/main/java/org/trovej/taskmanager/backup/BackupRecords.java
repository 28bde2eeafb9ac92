package org.trovej.taskmanager.backup;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;

/** The task manager's one way to the {@code backups} table: what a restore needs to know of a backup. */
@Component
public class BackupRecords {

    private final JdbcTemplate jdbc;

    public BackupRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String backupId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM backups WHERE id = ? AND deleted = false",
                Integer.class, backupId);
        return count != null && count > 0;
    }

    /** Trove's {@code backup_info} for a restore: where the backup is and how to check it. */
    public Optional<ObjectNode> restoreInfo(String backupId) {
        List<ObjectNode> info = jdbc.query("SELECT id, instance_id, location, backup_type, checksum, storage_driver "
                + "FROM backups WHERE id = ? AND deleted = false", (rs, n) -> {
                    ObjectNode b = PythonJson.object();
                    b.put("id", rs.getString("id"));
                    b.put("instance_id", rs.getString("instance_id"));
                    b.put("location", rs.getString("location"));
                    b.put("type", rs.getString("backup_type"));
                    b.put("checksum", rs.getString("checksum"));
                    b.put("storage_driver", rs.getString("storage_driver"));
                    return b;
                }, backupId);
        return info.stream().findFirst();
    }
}
