package org.trovej.taskmanager.resize;

import java.util.List;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.compute.VolumeDriver;
import org.trovej.taskmanager.flow.Claim;
import org.trovej.taskmanager.flow.ClaimOutcomes;
import org.trovej.taskmanager.flow.FaultText;
import org.trovej.taskmanager.flow.FlowEngine;
import org.trovej.taskmanager.flow.FlowExecutor;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.FlowStore;
import org.trovej.taskmanager.flow.ResumableFlow;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.flow.StepFailure;
import org.trovej.taskmanager.instance.InstanceRecords;
import org.trovej.taskmanager.instance.InstanceRow;
import org.trovej.taskmanager.instance.InstanceTask;

/**
 * {@code resize_volume}: the back end extends the volume (locally the size record is raised) → guest
 * {@code resize_fs} (online) → {@code volume_size} saved, task NONE. A back end that cannot extend a volume in
 * use (Cinder, as Trove does it) goes the long way: guest {@code stop_db} → {@code unmount_volume} → detach →
 * extend → attach → {@code mount_volume} → {@code resize_fs} → {@code restart}; a failure on that way attaches,
 * mounts and restarts again before giving up. On failure the task goes back to
 * NONE with a fault and {@code volume_size} keeps the size the filesystem was known to have.
 */
@Component
public class ResizeVolumeFlow implements ResumableFlow {

    public static final String NAME = "resize_volume";
    private static final Logger log = LoggerFactory.getLogger(ResizeVolumeFlow.class);

    private final FlowStore store;
    private final FlowEngine engine;
    private final FlowExecutor executor;
    private final InstanceRecords records;
    private final ClaimOutcomes outcomes;
    private final VolumeDriver volumes;
    private final ComputeDriver compute;
    private final GuestAgentClient guests;

    public ResizeVolumeFlow(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                            VolumeDriver volumes, ComputeDriver compute, GuestAgentClient guests) {
        this.store = store;
        this.engine = engine;
        this.executor = executor;
        this.records = records;
        this.outcomes = new ClaimOutcomes("volume resize", "resize_volume", records, log);
        this.volumes = volumes;
        this.compute = compute;
        this.guests = guests;
    }

    @Override
    public String name() {
        return NAME;
    }

    public CompletionStage<JsonNode> start(RpcContext context, RpcArgs args) {
        String id = args.text("instance_id");
        JsonNode newSize = args.required("new_size");
        ObjectNode data = PythonJson.object();
        data.put("new_size", newSize.asInt());
        return executor.submit("resize_volume " + id,
                () -> run(context, id, store.claim(id, NAME, "check_size", data, null, false)));
    }

    @Override
    public void resume(String instanceId) {
        run(RpcContext.service(), instanceId, store.claimToResume(instanceId, NAME));
    }

    private void run(RpcContext context, String id, Claim claim) {
        outcomes.handle(id, claim, claimedRun -> execute(context, claimedRun));
    }

    private void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        int newSize = run.data().path("new_size").asInt();
        engine.execute(run, steps(context, id, newSize),
                r -> store.close(r, () -> {
                    records.setVolumeSize(id, newSize);
                    records.setTask(id, InstanceTask.NONE);
                    log.info("Instance {}: volume resized to {} GB", id, newSize);
                }),
                (r, step, cause) -> {
                    recover(context, id, step);
                    fail(r, step, cause);
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
            if (volume.status() != org.trovej.taskmanager.compute.VolumeStatus.IN_USE) {
                compute.attachVolume(serverId(id), volume.id());
            }
            guests.callHigh(context, id, "mount_volume", volumeArgs(id, false));
            guests.callHigh(context, id, "restart", PythonJson.object());
        } catch (RuntimeException e) {
            log.warn("Instance {}: could not bring the volume and database back after the failed resize: {}", id,
                    e.getMessage());
        }
    }

    private String serverId(String id) {
        InstanceRow row = records.find(id).orElseThrow(() -> new StepFailure("instance " + id + " is gone"));
        if (row.serverId() == null) {
            throw new StepFailure("instance " + id + " has no server");
        }
        return row.serverId();
    }

    private void checkSize(String id, int newSize) {
        InstanceRow row = records.find(id).orElseThrow(() -> new StepFailure("instance " + id + " is gone"));
        int current = row.volumeSize() == null ? 0 : row.volumeSize();
        if (newSize <= current) {
            throw new StepFailure("The new volume size (" + newSize + " GB) must be larger than the current one ("
                    + current + " GB)");
        }
    }

    private Volume volume(String id) {
        InstanceRow row = records.find(id).orElseThrow(() -> new StepFailure("instance " + id + " is gone"));
        return (row.volumeId() != null ? volumes.findVolume(row.volumeId()) : volumes.findVolumeOf(id))
                .orElseThrow(() -> new StepFailure("instance " + id + " has no volume"));
    }

    private void fail(FlowRun run, String step, Exception cause) {
        String message = "The volume could not be resized: " + FaultText.reason(cause);
        String details = FaultText.details(run, step, cause, List.of());
        store.close(run, () -> {
            records.setTask(run.instanceId(), InstanceTask.NONE);
            records.recordFault(run.instanceId(), message, details);
        });
    }
}
