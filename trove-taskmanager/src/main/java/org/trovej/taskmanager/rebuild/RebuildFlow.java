package org.trovej.taskmanager.rebuild;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.taskmanager.TaskManagerProperties;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.ServerWaits;
import org.trovej.taskmanager.flow.Step;

/**
 * {@code rebuild} (Trove's management rebuild, taskmanager/models.py RebuildAction): the image is checked first, so
 * an unknown one changes nothing → the guest stops the database (tolerated) → the server is rebuilt from the image,
 * keeping its volume and addresses → ACTIVE again → the guest starts the database on its data, with its
 * configuration → healthy → task NONE. As in Trove the task ends NONE whatever happens; a failure leaves a fault
 * naming the step.
 */
@Component
public class RebuildFlow extends InstanceFlow {

    public static final String NAME = "rebuild";
    /** A rebuilt server boots a new root disk: longer than a reboot. */
    private static final Duration SERVER_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(5);
    private static final String AFTER = "the rebuild";

    private final ServerWaits waits;

    public RebuildFlow(InstanceFlowParts parts, TaskManagerProperties properties) {
        super(NAME, "check_image", "rebuild", parts);
        this.waits = new ServerWaits(compute, records, properties.pollInterval());
    }

    @Override
    protected ObjectNode initialData(RpcArgs args) {
        ObjectNode data = PythonJson.object();
        data.put("image_id", args.text("image_id"));
        return data;
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        String imageId = run.data().path("image_id").asText();
        engine.execute(run, List.of(
                        new Step("check_image", r -> compute.requireImage(imageId)),
                        new Step("stop_db", r -> stopDatabaseIfItCan(context, id, AFTER)),
                        new Step("rebuild_server", r -> compute.rebuildServer(serverId(id), imageId)),
                        new Step("await_server", r -> waits.awaitActive(id, serverId(id), SERVER_TIMEOUT, AFTER)),
                        new Step("restart_db", r -> guests.callHigh(context, id, "restart", PythonJson.object())),
                        new Step("await_healthy", r -> waits.awaitHealthy(id, HEALTHY_TIMEOUT, AFTER))),
                r -> store.close(r, () -> {
                    records.setTask(id, InstanceTask.NONE);
                    log.info("Instance {} rebuilt from image {}", id, imageId);
                }),
                (r, step, cause) -> closeWithFault(r, step, cause, "The instance could not be rebuilt: ",
                        () -> records.setTask(id, InstanceTask.NONE)));
    }
}
