package org.trovej.taskmanager.resize;

import java.util.List;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.guest.GuestAgentClient;
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
 * {@code resize_volume}: the back end extends the volume (Cinder extend; locally the size record is raised)
 * → guest {@code resize_fs} (online) → {@code volume_size} saved, task NONE. On failure the task goes back to
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
    private final GuestAgentClient guests;
    private final JdbcTemplate jdbc;

    public ResizeVolumeFlow(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                            VolumeDriver volumes, GuestAgentClient guests, JdbcTemplate jdbc) {
        this.store = store;
        this.engine = engine;
        this.executor = executor;
        this.records = records;
        this.outcomes = new ClaimOutcomes("volume resize", "resize_volume", records, log);
        this.volumes = volumes;
        this.guests = guests;
        this.jdbc = jdbc;
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
        engine.execute(run, List.of(
                new Step("check_size", r -> checkSize(id, newSize)),
                new Step("extend_volume", r -> volumes.extendVolume(volume(id).id(), newSize)),
                new Step("resize_fs", r -> {
                    Volume volume = volume(id);
                    ObjectNode args = PythonJson.object();
                    args.put("device_path", volume.devicePath());
                    args.put("mount_point", volume.mountPoint());
                    args.put("online", true);
                    guests.callHigh(context, id, "resize_fs", args);
                })),
                r -> store.close(r, () -> {
                    jdbc.update("UPDATE instances SET volume_size = ?, updated = timezone('UTC', now()) WHERE id = ?",
                            newSize, id);
                    records.setTask(id, InstanceTask.NONE);
                    log.info("Instance {}: volume resized to {} GB", id, newSize);
                }),
                this::fail);
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
