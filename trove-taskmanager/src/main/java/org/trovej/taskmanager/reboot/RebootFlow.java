package org.trovej.taskmanager.reboot;

import java.time.Duration;
import java.util.List;

import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.taskmanager.TaskManagerProperties;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerStatus;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.flow.StepFailure;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * {@code reboot} (Trove's management reboot, taskmanager/models.py BuiltInstanceTasks.reboot): the guest stops
 * the database (a failure is tolerated: the database may already be down) → the server is rebooted → once the
 * server is ACTIVE again the guest restarts the database → once the guest reports healthy, task NONE. As in
 * Trove the task ends NONE whatever happens; a failure also leaves a fault naming the step.
 */
@Component
public class RebootFlow extends InstanceFlow {

    public static final String NAME = "reboot";
    /** Trove's reboot_time_out. */
    private static final Duration SERVER_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(2);

    private final Duration poll;

    public RebootFlow(InstanceFlowParts parts, TaskManagerProperties properties) {
        super(NAME, "stop_db", "reboot", parts);
        this.poll = properties.pollInterval();
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        engine.execute(run, List.of(
                        new Step("stop_db", r -> stopDatabase(context, id)),
                        new Step("reboot_server", r -> compute.rebootServer(serverId(id))),
                        new Step("await_server", r -> awaitServer(id)),
                        new Step("restart_db", r -> guests.callHigh(context, id, "restart", PythonJson.object())),
                        new Step("await_healthy", r -> awaitHealthy(id))),
                r -> store.close(r, () -> {
                    records.setTask(id, InstanceTask.NONE);
                    log.info("Instance {} rebooted", id);
                }),
                (r, step, cause) -> closeWithFault(r, step, cause, "The instance could not be rebooted: ",
                        () -> records.setTask(id, InstanceTask.NONE)));
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
            InstanceRow row = instance(id);
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
}
