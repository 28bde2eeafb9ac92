package org.trovej.taskmanager.create;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.datastore.ConfigTemplates;
import org.trovej.common.json.PythonJson;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.pitr.PointInTime;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.service.pitr.RestorePlan;
import org.trovej.service.pitr.RestorePoints;
import org.trovej.taskmanager.backup.BackupRecords;
import org.trovej.taskmanager.backup.BackupRow;
import org.trovej.taskmanager.backup.ObjectStoreAccounts;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.flow.StepFailure;
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
    private final RestorePoints restorePoints;

    PrepareArguments(BackupRecords backups, ConfigTemplates templates, ObjectStoreAccounts accounts,
                     RestorePoints restorePoints) {
        this.backups = backups;
        this.templates = templates;
        this.accounts = accounts;
        this.restorePoints = restorePoints;
    }

    /** @param seedBackupId a replica's snapshot backup (restored instead of the request's backup), or null */
    ObjectNode build(RpcContext context, CreateInstanceRequest request, InstanceRow row, Volume volume,
                     String seedBackupId) {
        String restored = seedBackupId != null ? seedBackupId : request.backupId();
        RestorePlan plan = seedBackupId == null ? plan(request) : null;
        ObjectNode args = PythonJson.object();
        args.set("packages", orNull(request.packages()));
        args.set("databases", request.databases());
        args.put("memory_mb", request.flavor().ram());
        args.set("users", request.users());
        args.put("device_path", volume.devicePath());
        args.put("mount_point", volume.mountPoint());
        args.set("backup_info", restored == null ? PythonJson.nodes().nullNode()
                : plan != null ? backupInfo(context, plan.baseBackupId(), plan.pointInTime())
                : backupInfo(context, restored, null));
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
        RestorePlan plan = seedBackupId == null ? plan(request) : null;
        String base = plan != null ? plan.baseBackupId() : restored;
        return backups.find(base).filter(b -> !b.deleted() && b.location() != null)
                .map(b -> {
                    List<String> readable = new ArrayList<>(backups.ancestorLocations(b.id()));
                    if (plan != null) {
                        readable.addAll(plan.logLocations());
                    }
                    return accounts.guestContext(context, b.tenantId(),
                            ObjectLocation.parse(b.location()).container(), b.id(), readable);
                })
                .orElse(context);
    }

    /**
     * A point-in-time restore's plan ({@link RestorePoints}, as the API checked it): the backup to start from and the
     * shipped log up to the moment; null for any other create. A moment no longer restorable (its backup or log
     * deleted since the API accepted it) fails the build saying so.
     */
    private RestorePlan plan(CreateInstanceRequest request) {
        Instant moment = request.restoreTime();
        if (moment == null || request.backupId() == null) {
            return null;
        }
        String source = backups.find(request.backupId()).map(BackupRow::instanceId).orElse(null);
        return (source == null ? Optional.<RestorePlan>empty() : restorePoints.plan(source, moment))
                .orElseThrow(() -> new StepFailure("Instance " + source + " can no longer be restored to " + moment
                        + ": its backups or shipped log from then were deleted", InstanceTask.BUILDING_ERROR_SERVER,
                        null));
    }

    private JsonNode backupInfo(RpcContext context, String backupId, PointInTime pointInTime) {
        return backups.find(backupId).filter(b -> !b.deleted())
                .map(b -> (JsonNode) new RestoreInfo(b.id(), b.instanceId(), b.location(), b.backupType(),
                        b.checksum(), b.storageDriver(), accounts.swiftUrl(context, b.tenantId()), pointInTime)
                        .toWire())
                .orElse(PythonJson.nodes().nullNode());
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? PythonJson.nodes().nullNode() : value;
    }
}
