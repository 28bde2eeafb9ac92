package org.trovej.taskmanager.resize;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.compute.VolumeStatus;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.flow.StepFailure;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * {@code resize_volume}: the back end extends the volume (locally the size record is raised) → guest
 * {@code resize_fs} (online) → {@code volume_size} saved, task NONE. A back end that cannot extend a volume in
 * use (Cinder, as Trove does it) goes the long way: guest {@code stop_db} → {@code unmount_volume} → detach →
 * extend → attach → {@code mount_volume} → {@code resize_fs} → {@code restart}; a failure on that way attaches,
 * mounts and restarts again before giving up. On failure the task goes back to
 * NONE with a fault and {@code volume_size} keeps the size the filesystem was known to have.
 */
@Component
public class ResizeVolumeFlow extends InstanceFlow {

    public static final String NAME = "resize_volume";

    public ResizeVolumeFlow(InstanceFlowParts parts) {
        super(NAME, "check_size", "volume resize", parts);
    }

    @Override
    protected ObjectNode initialData(RpcArgs args) {
        ObjectNode data = PythonJson.object();
        data.put("new_size", args.required("new_size").asInt());
        return data;
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        int newSize = run.data().path("new_size").asInt();
        engine.execute(run, steps(context, id, newSize),
                r -> store.close(r, () -> {
                    records.volumeResized(id, newSize);
                    log.info("Instance {}: volume resized to {} GB", id, newSize);
                }),
                (r, step, cause) -> {
                    recover(context, id, step);
                    closeWithFault(r, step, cause, "The volume could not be resized: ",
                            () -> records.setTask(id, InstanceTask.NONE));
                });
    }

    private List<Step> steps(RpcContext context, String id, int newSize) {
        Step check = new Step("check_size", r -> checkSize(id, newSize));
        Step extend = new Step("extend_volume", r -> volumes.extendVolume(volume(id).id(), newSize));
        Step resizeFs = new Step("resize_fs", r -> guests.callHigh(context, id, "resize_fs", volumeArgs(id, true)));
        if (volumes.extendsAttached()) {
            return List.of(check, extend, resizeFs);
        }
        return List.of(check,
                new Step("stop_db", r -> guests.callLow(context, id, "stop_db", PythonJson.object())),
                new Step("unmount_volume", r -> guests.callHigh(context, id, "unmount_volume", volumeArgs(id, false))),
                new Step("detach_volume", r -> compute.detachVolume(serverId(id), volume(id).id())),
                extend,
                new Step("attach_volume", r -> compute.attachVolume(serverId(id), volume(id).id())),
                new Step("mount_volume", r -> guests.callHigh(context, id, "mount_volume", volumeArgs(id, false))),
                resizeFs,
                new Step("restart", r -> guests.callHigh(context, id, "restart", PythonJson.object())));
    }

    private ObjectNode volumeArgs(String id, boolean online) {
        Volume volume = volume(id);
        ObjectNode args = PythonJson.object();
        args.put("device_path", volume.devicePath());
        args.put("mount_point", volume.mountPoint());
        if (online) {
            args.put("online", true);
        }
        return args;
    }

    /** After a failure on the long way: the volume attached and mounted, the database running, if it can be. */
    private void recover(RpcContext context, String id, String failedStep) {
        if (volumes.extendsAttached() || List.of("check_size", "stop_db").contains(failedStep)) {
            return;
        }
        try {
            Volume volume = volume(id);
            if (volume.status() != VolumeStatus.IN_USE) {
                compute.attachVolume(serverId(id), volume.id());
            }
            guests.callHigh(context, id, "mount_volume", volumeArgs(id, false));
            guests.callHigh(context, id, "restart", PythonJson.object());
        } catch (RuntimeException e) {
            log.warn("Instance {}: could not bring the volume and database back after the failed resize: {}", id,
                    e.getMessage());
        }
    }

    private void checkSize(String id, int newSize) {
        InstanceRow row = instance(id);
        int current = row.volumeSize() == null ? 0 : row.volumeSize();
        if (newSize <= current) {
            throw new StepFailure("The new volume size (" + newSize + " GB) must be larger than the current one ("
                    + current + " GB)");
        }
    }

    private Volume volume(String id) {
        InstanceRow row = instance(id);
        return (row.volumeId() != null ? volumes.findVolume(row.volumeId()) : volumes.findVolumeOf(id))
                .orElseThrow(() -> new StepFailure("instance " + id + " has no volume"));
    }
}
