package org.trovej.taskmanager.create;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.json.PythonJson;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.taskmanager.backup.BackupRecords;
import org.trovej.taskmanager.backup.ObjectStoreAccounts;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.common.datastore.ConfigTemplates;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * {@code prepare}'s arguments, in the order Trove's guest API sends them (guestagent/api.py prepare, 1.1), and its
 * context: for a restore, {@code backup_info} is the backup's {@link RestoreInfo} with the object store account URL
 * of the backup's project ({@code swift_url}), and the context's {@code auth_token} a grant to the backup's objects
 * ({@code <container>/<backup_id>}, the container from its location), the token Trove's guest sends to Swift.
 */
@Component
class PrepareArguments {

    private final BackupRecords backups;
    private final ConfigTemplates templates;
    private final ObjectStoreAccounts accounts;

    PrepareArguments(BackupRecords backups, ConfigTemplates templates, ObjectStoreAccounts accounts) {
        this.backups = backups;
        this.templates = templates;
        this.accounts = accounts;
    }

    /** @param seedBackupId a replica's snapshot backup (restored instead of the request's backup), or null */
    ObjectNode build(RpcContext context, CreateInstanceRequest request, InstanceRow row, Volume volume,
                     String seedBackupId) {
        String restored = seedBackupId != null ? seedBackupId : request.backupId();
        ObjectNode args = PythonJson.object();
        args.set("packages", orNull(request.packages()));
        args.set("databases", request.databases());
        args.put("memory_mb", request.flavor().ram());
        args.set("users", request.users());
        args.put("device_path", volume.devicePath());
        args.put("mount_point", volume.mountPoint());
        args.set("backup_info", restored == null ? PythonJson.nodes().nullNode() : backupInfo(context, restored));
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

    /**
     * The context {@code prepare} is cast with: the create's, and for a restore a grant to the backup's objects and
     * read access to its ancestors' (an incremental is restored on top of its parent chain).
     */
    RpcContext context(RpcContext context, CreateInstanceRequest request, String seedBackupId) {
        String restored = seedBackupId != null ? seedBackupId : request.backupId();
        if (restored == null) {
            return context;
        }
        return backups.find(restored).filter(b -> !b.deleted() && b.location() != null)
                .map(b -> accounts.guestContext(context, b.tenantId(), ObjectLocation.parse(b.location()).container(),
                        b.id(), backups.ancestorLocations(b.id())))
                .orElse(context);
    }

    private JsonNode backupInfo(RpcContext context, String backupId) {
        return backups.find(backupId).filter(b -> !b.deleted())
                .map(b -> (JsonNode) new RestoreInfo(b.id(), b.instanceId(), b.location(), b.backupType(),
                        b.checksum(), b.storageDriver(), accounts.swiftUrl(context, b.tenantId())).toWire())
                .orElse(PythonJson.nodes().nullNode());
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? PythonJson.nodes().nullNode() : value;
    }
}
