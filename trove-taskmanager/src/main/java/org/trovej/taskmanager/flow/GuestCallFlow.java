package org.trovej.taskmanager.flow;

import java.util.List;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * A flow that is one call to the instance's guest (restart, stop_db, ...): claimed and persisted like every
 * flow, so a task manager that dies during the call has it resumed; on success {@link #succeeded}, on failure a
 * fault ({@link #failureMessage} and the cause) and {@link #afterFailure}.
 */
public abstract class GuestCallFlow implements ResumableFlow {

    protected final Logger log = LoggerFactory.getLogger(getClass());
    protected final InstanceRecords records;
    private final String name;
    private final FlowStore store;
    private final FlowEngine engine;
    private final FlowExecutor executor;
    private final ClaimOutcomes outcomes;
    private final GuestAgentClient guests;

    /**
     * @param name        the flow's name, also its single step's and the claim's
     * @param description what the flow is, in claim messages ("restart", "database stop")
     */
    protected GuestCallFlow(String name, String description, FlowStore store, FlowEngine engine,
                            FlowExecutor executor, InstanceRecords records, GuestAgentClient guests) {
        this.name = name;
        this.store = store;
        this.engine = engine;
        this.executor = executor;
        this.records = records;
        this.guests = guests;
        this.outcomes = new ClaimOutcomes(description, name, records, log);
    }

    /** The guest call itself (method, timeout). */
    protected abstract JsonNode call(GuestAgentClient guests, RpcContext context, String instanceId);

    /** Inside the transaction that closes a successful flow. */
    protected abstract void succeeded(String instanceId);

    /** The fault's message before the cause, e.g. "The database could not be restarted: ". */
    protected abstract String failureMessage();

    /** Inside the transaction that closes a failed flow, before the fault is recorded. */
    protected void afterFailure(String instanceId) {
    }

    @Override
    public String name() {
        return name;
    }

    public CompletionStage<JsonNode> start(RpcContext context, RpcArgs args) {
        String id = args.text("instance_id");
        return executor.submit(name + " " + id,
                () -> run(context, id, store.claim(id, name, name, PythonJson.object(), null, false)));
    }

    @Override
    public void resume(String instanceId) {
        run(RpcContext.service(), instanceId, store.claimToResume(instanceId, name));
    }

    private void run(RpcContext context, String id, Claim claim) {
        outcomes.handle(id, claim, claimedRun -> engine.execute(claimedRun, List.of(
                        new Step(name, r -> call(guests, context, id))),
                r -> store.close(r, () -> succeeded(id)),
                this::fail));
    }

    private void fail(FlowRun run, String step, Exception cause) {
        String message = failureMessage() + FaultText.reason(cause);
        String details = FaultText.details(run, step, cause, List.of());
        store.close(run, () -> {
            afterFailure(run.instanceId());
            records.recordFault(run.instanceId(), message, details);
        });
    }
}
