package org.trovej.taskmanager.reboot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.taskmanager.TaskManagerProperties;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerStatus;
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
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.instance.InstanceRecords;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * {@code reboot} (Trove's management reboot, taskmanager/models.py BuiltInstanceTasks.reboot): the guest stops
 * the database (a failure is tolerated: the database may already be down) → the server is rebooted → once the
 * server is ACTIVE again the guest restarts the database → once the guest reports healthy, task NONE. As in
 * Trove the task ends NONE whatever happens; a failure also leaves a fault naming the step.
 */
@Component
public class RebootFlow implements ResumableFlow {

    public static final String NAME = "reboot";
    private static final Logger log = LoggerFactory.getLogger(RebootFlow.class);
    /** Trove's reboot_time_out. */
    private static final Duration SERVER_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(2);

    private final FlowStore store;
    private final FlowEngine engine;
    private final FlowExecutor executor;
    private final InstanceRecords records;
    private final ClaimOutcomes outcomes;
    private final ComputeDriver compute;
    private final GuestAgentClient guests;
    private final Duration poll;

    public RebootFlow(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                      ComputeDriver compute, GuestAgentClient guests, TaskManagerProperties properties) {
        this.store = store;
        this.engine = engine;
        this.executor = executor;
        this.records = records;
        this.outcomes = new ClaimOutcomes("reboot", "reboot", records, log);
        this.compute = compute;
        this.guests = guests;
        this.poll = properties.pollInterval();
    }

    @Override
    public String name() {
        return NAME;
    }

    public CompletionStage<JsonNode> start(RpcContext context, RpcArgs args) {
        String id = args.text("instance_id");
        return executor.submit("reboot " + id,
                () -> run(context, id, store.claim(id, NAME, "stop_db", PythonJson.object(), null, false)));
    }

    @Override
    public void resume(String instanceId) {
        run(RpcContext.service(), instanceId, store.claimToResume(instanceId, NAME));
    }

    private void run(RpcContext context, String id, Claim claim) {
        outcomes.handle(id, claim, claimedRun -> engine.execute(claimedRun, List.of(
                        new Step("stop_db", r -> stopDatabase(context, id)),
                        new Step("reboot_server", r -> compute.rebootServer(serverId(id))),
                        new Step("await_server", r -> awaitServer(id)),
                        new Step("restart_db", r -> guests.callHigh(context, id, "restart", PythonJson.object())),
                        new Step("await_healthy", r -> awaitHealthy(id))),
                r -> store.close(r, () -> {
                    records.setTask(id, InstanceTask.NONE);
                    log.info("Instance {} rebooted", id);
                }),
                this::fail));
    }

    /** Trove tolerates a guest that cannot stop its database here (it may have crashed). */
    private void stopDatabase(RpcContext context, String id) {
        try {
            guests.callLow(context, id, "stop_db", PythonJson.object());
        } catch (RuntimeException e) {
            log.warn("Instance {}: the database could not be stopped before the reboot: {}", id, e.getMessage());
        }
    }

    private void awaitServer(String id) throws InterruptedException {
        String serverId = serverId(id);
        long deadline = System.nanoTime() + SERVER_TIMEOUT.toNanos();
        while (true) {
            Server server = compute.findServer(serverId)
                    .orElseThrow(() -> new StepFailure("server " + serverId + " is gone"));
            if (server.status() == ServerStatus.ACTIVE) {
                records.setServerStatus(id, ServerStatus.ACTIVE.name());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("the server was not ACTIVE " + SERVER_TIMEOUT.toSeconds()
                        + " s after the reboot (" + server.status() + (server.fault() == null ? ""
                        : ": " + server.fault()) + ")");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private void awaitHealthy(String id) throws InterruptedException {
        long deadline = System.nanoTime() + HEALTHY_TIMEOUT.toNanos();
        while (true) {
            InstanceRow row = records.find(id).orElseThrow(() -> new StepFailure("instance " + id + " is gone"));
            if ("healthy".equals(row.serviceStatus())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("the guest did not report the database healthy within "
                        + HEALTHY_TIMEOUT.toSeconds() + " s of the reboot (" + row.serviceStatus() + ")");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private String serverId(String id) {
        InstanceRow row = records.find(id).orElseThrow(() -> new StepFailure("instance " + id + " is gone"));
        if (row.serverId() == null) {
            throw new StepFailure("instance " + id + " has no server");
        }
        return row.serverId();
    }

    private void fail(FlowRun run, String step, Exception cause) {
        String message = "The instance could not be rebooted: " + FaultText.reason(cause);
        String details = FaultText.details(run, step, cause, List.of());
        store.close(run, () -> {
            records.setTask(run.instanceId(), InstanceTask.NONE);
            records.recordFault(run.instanceId(), message, details);
        });
    }
}
