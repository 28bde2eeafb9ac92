package org.trovej.taskmanager.flow;

import java.util.List;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.VolumeDriver;
import org.trovej.taskmanager.instance.InstanceRecords;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * A flow on an existing instance (delete, restart, stop_db, reboot, the resizes), started by its RPC method with
 * the instance's id: claimed and persisted like every flow, resumed from its stored step when its task manager
 * died, and ended with a fault naming the step when a step fails.
 */
public abstract class InstanceFlow implements ResumableFlow {

    protected final Logger log = LoggerFactory.getLogger(getClass());
    protected final FlowStore store;
    protected final FlowEngine engine;
    protected final InstanceRecords records;
    protected final GuestAgentClient guests;
    protected final ComputeDriver compute;
    protected final VolumeDriver volumes;
    private final FlowExecutor executor;
    private final String name;
    private final String firstStep;
    private final ClaimOutcomes outcomes;

    /**
     * @param name      the flow's name, also its RPC method's
     * @param firstStep where a new flow starts
     * @param operation what the flow is, as a user reads it in claim faults ("resize", "database stop")
     */
    protected InstanceFlow(String name, String firstStep, String operation, InstanceFlowParts parts) {
        this.name = name;
        this.firstStep = firstStep;
        this.store = parts.store();
        this.engine = parts.engine();
        this.executor = parts.executor();
        this.records = parts.records();
        this.guests = parts.guests();
        this.compute = parts.compute();
        this.volumes = parts.volumes();
        this.outcomes = new ClaimOutcomes(operation, name, records, log);
    }

    @Override
    public String name() {
        return name;
    }

    /** The RPC method: the flow runs on the flow executor; the message is acknowledged when it has ended. */
    public CompletionStage<JsonNode> start(RpcContext context, RpcArgs args) {
        return start(context, args.text("instance_id"), initialData(args));
    }

    /** Starts the flow on the instance with {@code data} as its request's, as if its RPC method had been cast. */
    protected CompletionStage<JsonNode> start(RpcContext context, String id, ObjectNode data) {
        return executor.submit(name + " " + id,
                () -> run(context, id, store.claim(id, name, firstStep, data, null, supersedes()), data));
    }

    @Override
    public void resume(String instanceId) {
        run(RpcContext.service(), instanceId, store.claimToResume(instanceId, name));
    }

    /** What the flow keeps of its request ({@code flow_data}, never a secret): nothing, unless overridden. */
    protected ObjectNode initialData(RpcArgs args) {
        return PythonJson.object();
    }

    /** Whether the flow takes the instance from whatever flow holds it (a delete does). */
    protected boolean supersedes() {
        return false;
    }

    /**
     * A new request's claim, with what the request asked for ({@link #initialData}): a flow whose request leaves
     * a record behind when it cannot run (a backup) overrides this; by default as
     * {@link #run(RpcContext, String, Claim)}.
     */
    protected void run(RpcContext context, String instanceId, Claim claim, ObjectNode requested) {
        run(context, instanceId, claim);
    }

    /** Runs the flow once claimed; any other answer to the claim as {@link ClaimOutcomes} says. */
    protected void run(RpcContext context, String instanceId, Claim claim) {
        outcomes.handle(instanceId, claim, claimed -> execute(context, claimed));
    }

    /** The flow's steps and its ends, on the claimed run. */
    protected abstract void execute(RpcContext context, FlowRun run);

    /** The instance as it is now; a step fails when it is gone. */
    protected InstanceRow instance(String id) {
        return records.find(id).orElseThrow(() -> new StepFailure("instance " + id + " is gone"));
    }

    /** The instance's server; a step fails when it has none. */
    protected String serverId(String id) {
        InstanceRow row = instance(id);
        if (row.serverId() == null) {
            throw new StepFailure("instance " + id + " has no server");
        }
        return row.serverId();
    }

    /**
     * The guest stops the database before the server goes down; as in Trove a failure is tolerated (the database or
     * the guest may be what is broken, and what follows brings both back).
     */
    protected void stopDatabaseIfItCan(RpcContext context, String id, String before) {
        try {
            guests.callLow(context, id, "stop_db", PythonJson.object());
        } catch (RuntimeException e) {
            log.warn("Instance {}: the database could not be stopped before {}: {}", id, before, e.getMessage());
        }
    }

    /**
     * Ends a failed flow in one transaction, only if it is still ours: {@code outcome} (the task, ...), then the
     * fault the user sees, {@code what} followed by the cause, with the step in its details.
     */
    protected void closeWithFault(FlowRun run, String step, Exception cause, String what, Runnable outcome) {
        String message = what + FaultText.reason(cause);
        String details = FaultText.details(run, step, cause, List.of());
        store.close(run, () -> {
            outcome.run();
            records.recordFault(run.instanceId(), message, details);
        });
    }
}
