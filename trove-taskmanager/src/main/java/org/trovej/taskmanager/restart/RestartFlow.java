package org.trovej.taskmanager.restart;

import java.util.List;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.flow.Claim;
import org.trovej.taskmanager.flow.ClaimOutcomes;
import org.trovej.taskmanager.flow.FaultText;
import org.trovej.taskmanager.flow.FlowEngine;
import org.trovej.taskmanager.flow.FlowExecutor;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.FlowStore;
import org.trovej.taskmanager.flow.ResumableFlow;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.instance.InstanceRecords;
import org.trovej.taskmanager.instance.InstanceTask;

/**
 * {@code restart}: the guest restarts its database ({@code restart}, a call with the high timeout), then task
 * NONE. As in Trove the task is reset to NONE on failure too, with a fault; the guest's heartbeats then show
 * the database's real state.
 */
@Component
public class RestartFlow implements ResumableFlow {

    public static final String NAME = "restart";
    private static final Logger log = LoggerFactory.getLogger(RestartFlow.class);

    private final FlowStore store;
    private final FlowEngine engine;
    private final FlowExecutor executor;
    private final InstanceRecords records;
    private final ClaimOutcomes outcomes;
    private final GuestAgentClient guests;

    public RestartFlow(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                       GuestAgentClient guests) {
        this.store = store;
        this.engine = engine;
        this.executor = executor;
        this.records = records;
        this.outcomes = new ClaimOutcomes("restart", "restart", records, log);
        this.guests = guests;
    }

    @Override
    public String name() {
        return NAME;
    }

    public CompletionStage<JsonNode> start(RpcContext context, RpcArgs args) {
        String id = args.text("instance_id");
        return executor.submit("restart " + id,
                () -> run(context, id, store.claim(id, NAME, "restart", PythonJson.object(), null, false)));
    }

    @Override
    public void resume(String instanceId) {
        run(RpcContext.service(), instanceId, store.claimToResume(instanceId, NAME));
    }

    private void run(RpcContext context, String id, Claim claim) {
        outcomes.handle(id, claim, claimedRun -> engine.execute(claimedRun, List.of(
                        new Step("restart", r -> guests.callHigh(context, id, "restart", PythonJson.object()))),
                r -> store.close(r, () -> records.setTask(id, InstanceTask.NONE)),
                this::fail));
    }

    private void fail(FlowRun run, String step, Exception cause) {
        String message = "The database could not be restarted: " + FaultText.reason(cause);
        String details = FaultText.details(run, step, cause, List.of());
        store.close(run, () -> {
            records.setTask(run.instanceId(), InstanceTask.NONE);
            records.recordFault(run.instanceId(), message, details);
        });
    }
}
