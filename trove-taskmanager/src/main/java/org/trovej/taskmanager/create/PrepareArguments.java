package org.trovej.taskmanager.create;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.datastore.ConfigTemplates;
import org.trovej.taskmanager.instance.InstanceRow;

/** {@code prepare}'s arguments, in the order Trove's guest API sends them (guestagent/api.py prepare, 1.1). */
@Component
class PrepareArguments {

    private final JdbcTemplate jdbc;
    private final ConfigTemplates templates;

    PrepareArguments(JdbcTemplate jdbc, ConfigTemplates templates) {
        this.jdbc = jdbc;
        this.templates = templates;
    }

    ObjectNode build(CreateInstanceRequest request, InstanceRow row, Volume volume) {
        ObjectNode args = PythonJson.object();
        args.set("packages", orNull(request.packages()));
        args.set("databases", request.databases());
        args.put("memory_mb", request.flavor().ram());
        args.set("users", request.users());
        args.put("device_path", volume.devicePath());
        args.put("mount_point", volume.mountPoint());
        args.set("backup_info", request.backupId() == null ? PythonJson.nodes().nullNode() : backupInfo(request.backupId()));
        args.put("config_contents", templates.render(row.datastoreManager(), request.flavor()));
        args.put("root_password", request.rootPassword());
        args.set("overrides", orNull(request.overrides()));
        args.set("cluster_config", orNull(request.clusterConfig()));
        args.putNull("snapshot");
        args.set("modules", orNull(request.modules()));
        args.put("ds_version", request.dsVersion() != null ? request.dsVersion() : row.versionNumber());
        return args;
    }

    boolean backupExists(String backupId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM backups WHERE id = ? AND deleted = false",
                Integer.class, backupId);
        return count != null && count > 0;
    }

    /** Trove's backup_info for a restore: where the backup is and how to check it. */
    private JsonNode backupInfo(String backupId) {
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
        return info.isEmpty() ? PythonJson.nodes().nullNode() : info.get(0);
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? PythonJson.nodes().nullNode() : value;
    }
}
