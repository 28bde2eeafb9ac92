package org.trovej.common.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.common.pitr.PointInTime;

/**
 * Trove's {@code backup_info} of the guest's {@code prepare} when an instance is restored from a backup
 * (trove/taskmanager/models.py {@code _create_server}/{@code prepare}): which backup, where its object is, its
 * type and checksum, and the object store account URL. Written by the task manager, read by the guest.
 *
 * @param location the backup object's URL ({@code <swift_url>/<container>/<object>})
 * @param checksum the MD5 of the stored bytes, as Swift's ETag of a whole object
 * @param pointInTime TroveJ's point-in-time restore (the log to replay after the backup, and where to stop), or
 *                    null for a restore of the backup as it is
 */
public record RestoreInfo(String id, String instanceId, String location, String type, String checksum,
                          String storageDriver, String swiftUrl, PointInTime pointInTime) {

    public RestoreInfo(String id, String instanceId, String location, String type, String checksum,
                       String storageDriver, String swiftUrl) {
        this(id, instanceId, location, type, checksum, storageDriver, swiftUrl, null);
    }

    public ObjectNode toWire() {
        ObjectNode info = PythonJson.object();
        info.put("id", id);
        info.put("instance_id", instanceId);
        info.put("location", location);
        info.put("type", type);
        info.put("checksum", checksum);
        info.put("storage_driver", storageDriver);
        if (swiftUrl != null) {
            info.put("swift_url", swiftUrl);
        }
        if (pointInTime != null) {
            pointInTime.writeTo(info);
        }
        return info;
    }

    /** null for an absent or JSON-null backup_info. */
    public static RestoreInfo fromWire(JsonNode info) {
        if (info == null || info.isNull()) {
            return null;
        }
        return new RestoreInfo(BackupRequest.text(info, "id"), BackupRequest.text(info, "instance_id"),
                BackupRequest.text(info, "location"), BackupRequest.text(info, "type"),
                BackupRequest.text(info, "checksum"), BackupRequest.text(info, "storage_driver"),
                BackupRequest.text(info, "swift_url"), PointInTime.readFrom(info));
    }
}
