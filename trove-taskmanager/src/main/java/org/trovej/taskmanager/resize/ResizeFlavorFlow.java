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
import org.trovej.service.flavor.Flavor;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.datastore.ConfigTemplates;
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
 * {@code resize_flavor}: guest {@code stop_db} → the back end gives the server the new flavor (Nova resize and
 * confirm; locally nothing but the record) → guest {@code start_db_with_conf_changes} with the configuration
 * and memory of the new flavor → {@code flavor_id} saved, task NONE. On failure, as Trove reverts: the server
 * goes back to the old flavor and the database is started with the old configuration (best effort); task
 * NONE, flavor unchanged, and a fault.
 */
@Component
public class ResizeFlavorFlow implements ResumableFlow {

    public static final String NAME = "resize_flavor";
    private static final Logger log = LoggerFactory.getLogger(ResizeFlavorFlow.class);

    private final FlowStore store;
    private final FlowEngine engine;
    private final FlowExecutor executor;
    private final InstanceRecords records;
    private final ClaimOutcomes outcomes;
    private final ComputeDriver compute;
    private final GuestAgentClient guests;
    private final ConfigTemplates templates;

    public ResizeFlavorFlow(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                            ComputeDriver compute, GuestAgentClient guests, ConfigTemplates templates) {
        this.store = store;
        this.engine = engine;
        this.executor = executor;
        this.records = records;
        this.outcomes = new ClaimOutcomes("resize", "resize_flavor", records, log);
        this.compute = compute;
        this.guests = guests;
        this.templates = templates;
    }

    @Override
    public String name() {
        return NAME;
    }

    public CompletionStage<JsonNode> start(RpcContext context, RpcArgs args) {
        String id = args.text("instance_id");
        ObjectNode data = PythonJson.object();
        data.set("old_flavor", Flavor.fromWire(args.required("old_flavor")).toWire());
        data.set("new_flavor", Flavor.fromWire(args.required("new_flavor")).toWire());
        return executor.submit("resize_flavor " + id,
                () -> run(context, id, store.claim(id, NAME, "stop_db", data, null, false)));
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
        Flavor newFlavor = Flavor.fromWire(run.data().path("new_flavor"));
        engine.execute(run, List.of(
                new Step("stop_db", r -> guests.callLow(context, id, "stop_db", PythonJson.object())),
                new Step("resize_server", r -> compute.resizeServer(serverId(id), newFlavor)),
                new Step("start_db", r -> startWith(context, id, newFlavor))),
                r -> store.close(r, () -> {
                    records.setFlavorId(id, newFlavor.id());
                    records.setTask(id, InstanceTask.NONE);
                    log.info("Instance {} resized to flavor {}", id, newFlavor.id());
                }),
                (r, step, cause) -> fail(context, r, step, cause));
    }

    /** {@code start_db_with_conf_changes}: Trove's config_contents and ds_version, and TroveJ's memory_mb. */
    private void startWith(RpcContext context, String id, Flavor flavor) {
        InstanceRow row = records.find(id).orElseThrow(() -> new StepFailure("instance " + id + " is gone"));
        ObjectNode args = PythonJson.object();
        args.put("config_contents", templates.render(row.datastoreManager(), flavor));
        args.put("ds_version", row.datastoreVersion());
        args.put("memory_mb", flavor.ram());
        guests.callHigh(context, id, "start_db_with_conf_changes", args);
    }

    private String serverId(String id) {
        InstanceRow row = records.find(id).orElseThrow(() -> new StepFailure("instance " + id + " is gone"));
        if (row.serverId() == null) {
            throw new StepFailure("instance " + id + " has no server");
        }
        return row.serverId();
    }

    private void fail(RpcContext context, FlowRun run, String step, Exception cause) {
        String id = run.instanceId();
        revert(context, id, Flavor.fromWire(run.data().path("old_flavor")));
        String message = "The flavor could not be changed: " + FaultText.reason(cause);
        String details = FaultText.details(run, step, cause, List.of());
        store.close(run, () -> {
            records.setTask(id, InstanceTask.NONE);
            records.recordFault(id, message, details);
        });
    }

    /** Back to the old flavor and its configuration, database started; what fails here is only logged. */
    private void revert(RpcContext context, String id, Flavor oldFlavor) {
        try {
            compute.resizeServer(serverId(id), oldFlavor);
        } catch (RuntimeException e) {
            log.warn("Instance {}: could not give the server its old flavor back: {}", id, e.getMessage());
        }
        try {
            startWith(context, id, oldFlavor);
        } catch (RuntimeException e) {
            log.warn("Instance {}: could not start the database with its old configuration: {}", id, e.getMessage());
        }
    }
}
