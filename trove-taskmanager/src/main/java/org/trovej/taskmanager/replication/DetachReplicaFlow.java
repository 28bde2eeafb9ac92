package org.trovej.taskmanager.replication;

import java.util.List;

import org.springframework.stereotype.Component;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.Step;

/**
 * {@code detach_replica} (PUT with {@code replica_of} removed): the replica stops following its source and becomes a
 * standalone, writable instance; the record forgets its source; task NONE. A failure leaves it a replica, task NONE,
 * with a fault (Trove leaves DETACHING's error to the logs).
 */
@Component
public class DetachReplicaFlow extends InstanceFlow {

    public static final String NAME = "detach_replica";

    private final ReplicationGuests replication;

    public DetachReplicaFlow(InstanceFlowParts parts, ReplicationGuests replication) {
        super(NAME, NAME, "detach", parts);
        this.replication = replication;
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        engine.execute(run, List.of(new Step(NAME, r -> {
                    replication.detachReplica(context, id, false);
                    replication.makeReadOnly(context, id, false);
                })),
                r -> store.close(r, () -> {
                    records.setSource(id, null);
                    records.setTask(id, InstanceTask.NONE);
                    log.info("Instance {} is detached from its source", id);
                }),
                (r, step, cause) -> closeWithFault(r, step, cause, "The replica could not be detached: ",
                        () -> records.setTask(id, InstanceTask.NONE)));
    }
}
