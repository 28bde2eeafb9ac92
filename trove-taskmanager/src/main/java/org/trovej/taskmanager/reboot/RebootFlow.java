package org.trovej.taskmanager.reboot;

import java.time.Duration;
import java.util.List;

import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.taskmanager.TaskManagerProperties;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.ServerWaits;
import org.trovej.taskmanager.flow.Step;

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

    private final ServerWaits waits;

    public RebootFlow(InstanceFlowParts parts, TaskManagerProperties properties) {
        super(NAME, "stop_db", "reboot", parts);
        this.waits = new ServerWaits(compute, records, properties.pollInterval());
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        engine.execute(run, List.of(
                        new Step("stop_db", r -> stopDatabaseIfItCan(context, id, "the reboot")),
                        new Step("reboot_server", r -> compute.rebootServer(serverId(id))),
                        new Step("await_server", r -> waits.awaitActive(id, serverId(id), SERVER_TIMEOUT,
                                "the reboot")),
                        new Step("restart_db", r -> guests.callHigh(context, id, "restart", PythonJson.object())),
                        new Step("await_healthy", r -> waits.awaitHealthy(id, HEALTHY_TIMEOUT, "the reboot"))),
                r -> store.close(r, () -> {
                    records.setTask(id, InstanceTask.NONE);
                    log.info("Instance {} rebooted", id);
                }),
                (r, step, cause) -> closeWithFault(r, step, cause, "The instance could not be rebooted: ",
                        () -> records.setTask(id, InstanceTask.NONE)));
    }
}
