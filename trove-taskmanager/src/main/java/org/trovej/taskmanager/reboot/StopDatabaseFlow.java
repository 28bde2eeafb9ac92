package org.trovej.taskmanager.reboot;

import java.util.List;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.taskmanager.flow.Claim;
import org.trovej.taskmanager.flow.ClaimOutcomes;
import org.trovej.taskmanager.flow.FaultText;
import org.trovej.taskmanager.flow.FlowEngine;
import org.trovej.taskmanager.flow.FlowExecutor;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.FlowStore;
import org.trovej.taskmanager.flow.ResumableFlow;
import org.trovej.taskmanager.flow.Step;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * {@code stop_db} (TroveJ; the management API's {@code stop}): the guest stops the database (Trove's guest
 * {@code stop_db}, a call with the low timeout). The task is not changed; the guest's heartbeat then shows the
 * database shut down. A failure leaves a fault.
 */
@Component
public class StopDatabaseFlow implements ResumableFlow {

    public static final String NAME = "stop_db";
    private static final Logger log = LoggerFactory.getLogger(StopDatabaseFlow.class);

    private final FlowStore store;
    private final FlowEngine engine;
    private final FlowExecutor executor;
    private final InstanceRecords records;
    private final ClaimOutcomes outcomes;
    private final GuestAgentClient guests;

    public StopDatabaseFlow(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                            GuestAgentClient guests) {
        this.store = store;
        this.engine = engine;
        this.executor = executor;
        this.records = records;
        this.outcomes = new ClaimOutcomes("database stop", "stop_db", records, log);
        this.guests = guests;
    }

    @Override
    public String name() {
        return NAME;
    }

    public CompletionStage<JsonNode> start(RpcContext context, RpcArgs args) {
        String id = args.text("instance_id");
        return executor.submit("stop_db " + id,
                () -> run(context, id, store.claim(id, NAME, "stop_db", PythonJson.object(), null, false)));
    }

    @Override
    public void resume(String instanceId) {
        run(RpcContext.service(), instanceId, store.claimToResume(instanceId, NAME));
    }

    private void run(RpcContext context, String id, Claim claim) {
        outcomes.handle(id, claim, claimedRun -> engine.execute(claimedRun, List.of(
                        new Step("stop_db", r -> guests.callLow(context, id, "stop_db", PythonJson.object()))),
                r -> store.close(r, () -> log.info("The database of instance {} is stopped", id)),
                this::fail));
    }

    private void fail(FlowRun run, String step, Exception cause) {
        String message = "The database could not be stopped: " + FaultText.reason(cause);
        String details = FaultText.details(run, step, cause, List.of());
        store.close(run, () -> records.recordFault(run.instanceId(), message, details));
    }
}
