package org.trovej.service.taskmanager;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcSerializer;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.service.TroveProperties;

/**
 * Trove's task manager API (taskmanager/api.py) as the REST API uses it: casts on the task manager topic,
 * version 1.0, every argument sealed with {@code taskmanager_rpc_encr_key} unless secure messaging is off.
 * A cast returns once the broker has the message; the task manager reports progress through the instance
 * row (task, server status, faults), never through a reply.
 */
public class TaskManagerClient {

    /** Trove's API_BASE_VERSION / latest cap for the task manager. */
    public static final String VERSION = "1.0";

    private final RpcClient.Target target;

    public TaskManagerClient(RpcClient client, TroveProperties properties) {
        TroveProperties.Keys keys = properties.keys();
        RpcSerializer serializer = keys.secureRpcMessaging()
                ? new SecureSerializer(keys.taskmanagerRpcEncrKey()) : RpcSerializer.plain();
        this.target = client.target(properties.rpc().taskmanagerQueue(), VERSION, serializer);
    }

    public void createInstance(RpcContext context, CreateInstanceRequest request) {
        target.cast(context, "create_instance", request.toWire());
    }

    public void deleteInstance(RpcContext context, String instanceId) {
        target.cast(context, "delete_instance", instance(instanceId));
    }

    public void restart(RpcContext context, String instanceId) {
        target.cast(context, "restart", instance(instanceId));
    }

    /** Trove's {@code reboot}: the database stopped, the server rebooted, the database started again. */
    public void reboot(RpcContext context, String instanceId) {
        target.cast(context, "reboot", instance(instanceId));
    }

    /** Trove's {@code rebuild}: the server rebuilt from {@code image_id}, keeping its volume. */
    public void rebuild(RpcContext context, String instanceId, String imageId) {
        ObjectNode args = instance(instanceId);
        args.put("image_id", imageId);
        target.cast(context, "rebuild", args);
    }

    /** Trove's {@code upgrade}: the instance moved to the datastore version {@code datastore_version_id}. */
    public void upgrade(RpcContext context, String instanceId, String datastoreVersionId) {
        ObjectNode args = instance(instanceId);
        args.put("datastore_version_id", datastoreVersionId);
        target.cast(context, "upgrade", args);
    }

    /**
     * {@code stop_db} (TroveJ): the guest stops the database. Trove's management API calls the guest for this
     * itself; TroveJ's API leaves guest calls to the task manager, so the API never waits on a guest.
     */
    public void promoteToReplicaSource(RpcContext context, String instanceId) {
        target.cast(context, "promote_to_replica_source", instance(instanceId));
    }

    public void ejectReplicaSource(RpcContext context, String instanceId) {
        target.cast(context, "eject_replica_source", instance(instanceId));
    }

    public void detachReplica(RpcContext context, String instanceId) {
        target.cast(context, "detach_replica", instance(instanceId));
    }

    public void stopDatabase(RpcContext context, String instanceId) {
        target.cast(context, "stop_db", instance(instanceId));
    }

    public void resizeFlavor(RpcContext context, String instanceId, Flavor oldFlavor, Flavor newFlavor) {
        ObjectNode args = instance(instanceId);
        args.set("old_flavor", oldFlavor.toWire());
        args.set("new_flavor", newFlavor.toWire());
        target.cast(context, "resize_flavor", args);
    }

    public void resizeVolume(RpcContext context, String instanceId, int newSize) {
        ObjectNode args = PythonJson.object();
        args.put("new_size", newSize);
        args.put("instance_id", instanceId);
        target.cast(context, "resize_volume", args);
    }

    /**
     * Trove's {@code create_backup}: the backup is recorded (NEW) before this is sent; the task manager passes
     * {@code backup_info} on to the instance's guest and the guest reports progress to the conductor.
     */
    public void createBackup(RpcContext context, BackupRequest request) {
        ObjectNode args = PythonJson.object();
        args.set("backup_info", request.toWire());
        args.put("instance_id", request.instanceId());
        target.cast(context, "create_backup", args);
    }

    /** Trove's {@code delete_backup}: the task manager removes the stored objects, then marks the record deleted. */
    public void deleteBackup(RpcContext context, String backupId) {
        ObjectNode args = PythonJson.object();
        args.put("backup_id", backupId);
        target.cast(context, "delete_backup", args);
    }

    private static ObjectNode instance(String instanceId) {
        ObjectNode args = PythonJson.object();
        args.put("instance_id", instanceId);
        return args;
    }
}
