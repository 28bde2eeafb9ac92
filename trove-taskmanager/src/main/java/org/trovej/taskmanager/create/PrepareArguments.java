package org.trovej.taskmanager.create;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.taskmanager.backup.BackupRecords;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.datastore.ConfigTemplates;
import org.trovej.taskmanager.instance.InstanceRow;

/** {@code prepare}'s arguments, in the order Trove's guest API sends them (guestagent/api.py prepare, 1.1). */
@Component
class PrepareArguments {

    private final BackupRecords backups;
    private final ConfigTemplates templates;

    PrepareArguments(BackupRecords backups, ConfigTemplates templates) {
        this.backups = backups;
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
        return backups.exists(backupId);
    }

    private JsonNode backupInfo(String backupId) {
        return backups.restoreInfo(backupId).map(JsonNode.class::cast).orElse(PythonJson.nodes().nullNode());
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? PythonJson.nodes().nullNode() : value;
    }
}
