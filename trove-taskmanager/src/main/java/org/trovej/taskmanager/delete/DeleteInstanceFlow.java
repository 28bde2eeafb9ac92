package org.trovej.taskmanager.delete;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcRetryLater;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;
import org.trovej.taskmanager.compute.NetworkDriver;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerStatus;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.flow.Claim;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.flow.StepFailure;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * {@code delete_instance}: guest {@code stop_db} (best effort, only when a prepared guest may be listening) →
 * delete the server (stops the guest and its database) → delete the volume → release the address → delete the
 * guest's queues → the row soft-deleted (task NONE, server DELETED, service {@code deleted}). A delete takes
 * the instance from any other flow (a build in progress stops at its next step). If the server or the volume
 * cannot be deleted the instance is left in ERROR (task NONE, server ERROR) with a fault, so the user sees it
 * and can delete it again.
 */
@Component
public class DeleteInstanceFlow extends InstanceFlow {

    public static final String NAME = "delete";
    /** Service statuses in which a guest has a prepared database that stop_db could stop cleanly. */
    private static final Set<String> PREPARED = Set.of(ServiceStatus.HEALTHY.description(),
            ServiceStatus.RUNNING.description(), ServiceStatus.SHUTDOWN.description(),
            ServiceStatus.CRASHED.description(), ServiceStatus.BLOCKED.description(),
            ServiceStatus.RESTART_REQUIRED.description(), ServiceStatus.RESTARTING.description());

    private final NetworkDriver network;

    public DeleteInstanceFlow(InstanceFlowParts parts, NetworkDriver network) {
        super(NAME, "stop_db", "delete", parts);
        this.network = network;
    }

    /** A delete takes the instance from any other flow. */
    @Override
    protected boolean supersedes() {
        return true;
    }

    /** A delete is never refused: held by another task manager, it waits for that one's lease to run out. */
    @Override
    protected void run(RpcContext context, String id, Claim claim) {
        if (claim instanceof Claim.Claimed claimed) {
            execute(context, claimed.run());
        } else if (claim instanceof Claim.Busy) {
            throw new RpcRetryLater("the delete of " + id + " is held by another task manager until its lease runs "
                    + "out", null);
        } else if (claim instanceof Claim.AlreadyRunning) {
            log.info("delete_instance for {} is running already; duplicate dropped", id);
        } else {
            log.info("delete_instance for {}: no such instance, or deleted already", id);
        }
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        // Every step reads the instance afresh: a build that was taken over may have recorded its server or
        // volume after this delete began.
        engine.execute(run, List.of(
                new Step("stop_db", r -> stopDatabase(context, id)),
                new Step("delete_server", r -> deleteServer(id)),
                new Step("delete_volume", r -> deleteVolume(id)),
                new Step("release_address", r -> network.release(id)),
                new Step("delete_guest_queue", r -> guests.deleteQueue(id))),
                r -> store.close(r, () -> {
                    records.markDeleted(id);
                    log.info("Instance {} deleted", id);
                }),
                (r, step, cause) -> closeWithFault(r, step, cause, "The instance could not be deleted: ", () -> {
                    records.setTask(id, InstanceTask.NONE);
                    records.setServerStatus(id, ServerStatus.ERROR.name());
                }));
    }

    private void stopDatabase(RpcContext context, String id) {
        InstanceRow row = records.find(id).orElse(null);
        if (row == null || row.serviceStatus() == null || !PREPARED.contains(row.serviceStatus())) {
            return;
        }
        Optional<Server> server = server(row);
        if (server.isEmpty() || server.get().status() != ServerStatus.ACTIVE) {
            return;
        }
        try {
            guests.callLow(context, id, "stop_db", PythonJson.object());
        } catch (RuntimeException e) {
            // Trove carries on too: deleting the server stops the database in any case
            log.info("Instance {}: stop_db before delete failed ({}); deleting anyway", id, e.getMessage());
        }
    }

    private void deleteServer(String id) {
        InstanceRow row = records.find(id).orElse(null);
        if (row == null) {
            return;
        }
        Optional<Server> server = server(row);
        if (server.isEmpty()) {
            return;
        }
        compute.deleteServer(server.get().id());
        if (compute.findServer(server.get().id()).isPresent()) {
            throw new StepFailure("server " + server.get().id() + " still exists after it was deleted");
        }
    }

    private void deleteVolume(String id) {
        InstanceRow row = records.find(id).orElse(null);
        if (row == null) {
            return;
        }
        Optional<Volume> volume = row.volumeId() != null ? volumes.findVolume(row.volumeId())
                : volumes.findVolumeOf(id);
        volume.ifPresent(v -> volumes.deleteVolume(v.id()));
    }

    private Optional<Server> server(InstanceRow row) {
        return row.serverId() != null ? compute.findServer(row.serverId()) : compute.findServerOf(row.id());
    }
}
