package org.trovej.common.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcFailure;

/**
 * Trove's {@code backup_info} of {@code create_backup} (trove/backup/models.py {@code Backup.create}): what the API
 * casts to the task manager and the task manager casts on to the guest, with {@code swift_url} (the object store
 * account URL, ending in {@code AUTH_<project>}) added by the task manager as Trove's does
 * (trove/taskmanager/models.py). One definition for the three parties.
 *
 * @param backupType     {@link BackupType#FULL} or {@link BackupType#INCREMENTAL}
 * @param parent         null for a full backup
 * @param swiftContainer null: the configured default ({@link BackupType#DEFAULT_CONTAINER})
 * @param swiftUrl       null until the task manager sets it
 */
public record BackupRequest(String id, String name, String description, String instanceId, String backupType,
                            String checksum, BackupParent parent, String datastore, String datastoreVersion,
                            String storageDriver, String swiftContainer, String swiftUrl) {

    public BackupRequest {
        if (id == null || instanceId == null) {
            throw new IllegalArgumentException("backup_info needs the backup's and the instance's id");
        }
    }

    public BackupRequest withSwiftUrl(String url) {
        return new BackupRequest(id, name, description, instanceId, backupType, checksum, parent, datastore,
                datastoreVersion, storageDriver, swiftContainer, url);
    }

    public boolean incremental() {
        return parent != null;
    }

    /** The container the objects go to: the request's, else Trove's default. */
    public String container() {
        return swiftContainer == null || swiftContainer.isEmpty() ? BackupType.DEFAULT_CONTAINER : swiftContainer;
    }

    /** Trove's key order; {@code swift_url} only once set. */
    public ObjectNode toWire() {
        ObjectNode info = PythonJson.object();
        info.put("id", id);
        info.put("name", name);
        info.put("description", description);
        info.put("instance_id", instanceId);
        info.put("backup_type", backupType);
        info.put("checksum", checksum);
        if (parent == null) {
            info.putNull("parent");
        } else {
            info.set("parent", parent.toWire());
        }
        info.put("datastore", datastore);
        info.put("datastore_version", datastoreVersion);
        info.put("storage_driver", storageDriver);
        info.put("swift_container", swiftContainer);
        if (swiftUrl != null) {
            info.put("swift_url", swiftUrl);
        }
        return info;
    }

    /** Reads it as TroveJ's or Trove's task manager sends it; no id is oslo's ValueError. */
    public static BackupRequest fromWire(JsonNode info) {
        if (info == null || !info.isObject() || !info.path("id").isTextual()) {
            throw new RpcFailure("builtins", "ValueError", "backup_info must be an object with an id");
        }
        BackupParent parent = BackupParent.fromWire(info.get("parent"));
        String type = text(info, "backup_type");
        return new BackupRequest(text(info, "id"), text(info, "name"), text(info, "description"),
                text(info, "instance_id"), type != null ? type : parent == null ? BackupType.FULL
                        : BackupType.INCREMENTAL, text(info, "checksum"), parent, text(info, "datastore"),
                text(info, "datastore_version"), text(info, "storage_driver"), text(info, "swift_container"),
                text(info, "swift_url"));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
