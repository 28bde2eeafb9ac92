package org.trovej.taskmanager.resize;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.datastore.ConfigTemplates;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * {@code resize_flavor}: guest {@code stop_db} → the back end gives the server the new flavor (Nova resize and
 * confirm; locally nothing but the record) → guest {@code start_db_with_conf_changes} with the configuration
 * and memory of the new flavor → {@code flavor_id} saved, task NONE. On failure, as Trove reverts: the server
 * goes back to the old flavor and the database is started with the old configuration (best effort); task
 * NONE, flavor unchanged, and a fault.
 */
@Component
public class ResizeFlavorFlow extends InstanceFlow {

    public static final String NAME = "resize_flavor";

    private final ConfigTemplates templates;

    public ResizeFlavorFlow(InstanceFlowParts parts, ConfigTemplates templates) {
        super(NAME, "stop_db", "resize", parts);
        this.templates = templates;
    }

    @Override
    protected ObjectNode initialData(RpcArgs args) {
        ObjectNode data = PythonJson.object();
        data.set("old_flavor", Flavor.fromWire(args.required("old_flavor")).toWire());
        data.set("new_flavor", Flavor.fromWire(args.required("new_flavor")).toWire());
        return data;
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        Flavor newFlavor = Flavor.fromWire(run.data().path("new_flavor"));
        engine.execute(run, List.of(
                new Step("stop_db", r -> guests.callLow(context, id, "stop_db", PythonJson.object())),
                new Step("resize_server", r -> compute.resizeServer(serverId(id), newFlavor)),
                new Step("start_db", r -> startWith(context, id, newFlavor))),
                r -> store.close(r, () -> {
                    records.flavorResized(id, newFlavor.id());
                    log.info("Instance {} resized to flavor {}", id, newFlavor.id());
                }),
                (r, step, cause) -> {
                    revert(context, id, Flavor.fromWire(r.data().path("old_flavor")));
                    closeWithFault(r, step, cause, "The flavor could not be changed: ",
                            () -> records.setTask(id, InstanceTask.NONE));
                });
    }

    /** {@code start_db_with_conf_changes}: Trove's config_contents and ds_version, and TroveJ's memory_mb. */
    private void startWith(RpcContext context, String id, Flavor flavor) {
        InstanceRow row = instance(id);
        ObjectNode args = PythonJson.object();
        args.put("config_contents", templates.render(row.datastoreManager(), flavor));
        args.put("ds_version", row.datastoreVersion());
        args.put("memory_mb", flavor.ram());
        guests.callHigh(context, id, "start_db_with_conf_changes", args);
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
