package org.trovej.taskmanager.replication;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.taskmanager.flow.FaultText;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.flow.StepFailure;

/**
 * {@code eject_replica_source} (Trove's sequence, trove-rpc.md §8), on a source P that stopped answering: P is
 * fenced → the most advanced replica C (by {@code get_last_txn}) is elected → C becomes a writable source → the
 * records say so (P stands alone, stopped) → the other replicas follow C. The API set task EJECTING on all of them;
 * {@link AutomaticFailover} starts the same flow by itself when the operator turned it on.
 * <p>
 * Fencing is TroveJ's: Trove promotes without making sure the old source is down, and a source that was only
 * unreachable goes on taking writes beside the new one (split brain). Here P's guest is asked to stop its database
 * (it stays stopped across restarts); when the guest does not answer, P's server is powered off (local back end:
 * the guest and any database process it left are killed; OpenStack: Nova stops the server). Only when one of them
 * succeeded is a replica promoted; otherwise the eject fails, nothing changed, with a fault saying why.
 */
@Component
public class EjectFlow extends InstanceFlow {

    public static final String NAME = "eject_replica_source";
    static final String FENCE = "fence_source";
    static final String ELECT = "elect_source";
    static final String MAKE_SOURCE = "make_source";
    static final String RECORDS = "switch_records";
    static final String REPOINT = "repoint_replicas";

    private final ReplicationGuests replication;
    private final ReplicationSteps steps;

    public EjectFlow(InstanceFlowParts parts, ReplicationGuests replication, ReplicationSteps steps) {
        super(NAME, FENCE, "eject", parts);
        this.replication = replication;
        this.steps = steps;
    }

    /** TroveJ's {@code automatic} flag (absent from Trove's cast): the flow was started by automatic failover. */
    @Override
    protected ObjectNode initialData(RpcArgs args) {
        ObjectNode data = PythonJson.object();
        data.put("automatic", args.optional("automatic") != null && args.optional("automatic").asBoolean());
        return data;
    }

    /** The eject {@link AutomaticFailover} starts, once it has set task EJECTING on the set. */
    public void startAutomatic(String sourceId) {
        ObjectNode data = PythonJson.object();
        data.put("automatic", true);
        start(RpcContext.service(), sourceId, data);
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String source = run.instanceId();
        if (!run.data().has("replicas")) {
            ArrayNode replicas = run.data().putArray("replicas");
            records.replicasOf(source).forEach(replicas::add);
        }
        List<String> replicas = new ArrayList<>();
        run.data().path("replicas").forEach(r -> replicas.add(r.asText()));
        if (replicas.isEmpty()) {
            store.close(run, () -> records.setTask(source, InstanceTask.NONE));
            log.warn("eject_replica_source for {} dropped: it has no replicas", source);
            return;
        }
        List<String> failed = new ArrayList<>();
        engine.execute(run, List.of(
                new Step(FENCE, r -> fence(context, source)),
                new Step(ELECT, r -> r.data().put("candidate", elect(context, replicas))),
                new Step(MAKE_SOURCE, r -> steps.makeSource(context, r.data().path("candidate").asText())),
                new Step(RECORDS, r -> {
                    String candidate = r.data().path("candidate").asText();
                    records.setSource(candidate, null);
                    replicas.stream().filter(id -> !id.equals(candidate))
                            .forEach(id -> records.setSource(id, candidate));
                }),
                new Step(REPOINT, r -> {
                    String candidate = r.data().path("candidate").asText();
                    failed.addAll(steps.repoint(context, candidate,
                            replicas.stream().filter(id -> !id.equals(candidate)).toList(),
                            InstanceTask.EJECTION_ERROR, "Eject"));
                })),
                r -> store.close(r, () -> {
                    String candidate = r.data().path("candidate").asText();
                    records.setTask(source, InstanceTask.NONE);
                    replicas.stream().filter(id -> !failed.contains(id))
                            .forEach(id -> records.setTask(id, InstanceTask.NONE));
                    String how = r.data().path("automatic").asBoolean() ? "Automatic failover" : "Eject";
                    // the event, visible on both instances (Trove records none)
                    records.recordFault(source, how + ": this source stopped answering and was fenced (its "
                            + "database stopped); replica " + candidate + " is the replication source now",
                            "Server type: taskmanager\nFlow " + NAME + " of instance " + source);
                    records.recordFault(candidate, how + ": this replica became the replication source in place "
                            + "of " + source, "Server type: taskmanager\nFlow " + NAME + " of instance " + source);
                    log.warn("{}: source {} ejected, {} is the source now", how, source, candidate);
                }),
                (r, step, cause) -> {
                    boolean unchanged = FENCE.equals(step) || ELECT.equals(step);
                    closeWithFault(r, step, cause, unchanged
                            ? "The source could not be ejected (the replication set is unchanged): "
                            : "The eject failed at " + step + ": ", () -> {
                                InstanceTask task = unchanged ? InstanceTask.NONE : InstanceTask.EJECTION_ERROR;
                                records.setTask(source, task);
                                replicas.forEach(id -> records.setTask(id, task));
                            });
                });
    }

    /**
     * Makes sure the old source takes no writes: its guest stops the database, else its server is powered off. A
     * source whose guest answers but cannot stop its database, and whose server cannot be stopped, fails the eject.
     */
    private void fence(RpcContext context, String source) {
        try {
            replication.stopDatabase(context, source);
            log.info("Eject: the database of source {} is stopped", source);
            return;
        } catch (RuntimeException e) {
            log.warn("Eject: the guest of source {} did not stop its database ({}); powering its server off",
                    source, FaultText.reason(e));
        }
        String serverId = instance(source).serverId();
        if (serverId == null) {
            throw new StepFailure("the old source has no server to power off, and its guest did not answer");
        }
        compute.powerOff(serverId);
        records.setServerStatus(source, "SHUTOFF");
        log.info("Eject: the server {} of source {} is powered off", serverId, source);
    }

    /** The replica that replayed the most of the old source; replicas that do not answer are left out. */
    private String elect(RpcContext context, List<String> replicas) {
        TxnPosition best = null;
        String candidate = null;
        List<String> sources = new ArrayList<>();
        for (String replica : replicas) {
            try {
                TxnPosition position = TxnPosition.fromLastTxn(replication.lastTxn(context, replica));
                if (position.sourceId() != null && !sources.contains(position.sourceId())) {
                    sources.add(position.sourceId());
                }
                if (best == null || position.compareTo(best) > 0) {
                    best = position;
                    candidate = replica;
                }
            } catch (RuntimeException e) {
                log.warn("Eject: replica {} did not say how far it got ({}); not a candidate", replica,
                        FaultText.reason(e));
            }
        }
        if (sources.size() > 1) {
            throw new StepFailure("the replicas do not all follow the same source: " + sources);
        }
        if (candidate == null) {
            throw new StepFailure("no replica answered: none can become the source");
        }
        log.info("Eject: replica {} is the most advanced ({})", candidate, best.txn());
        return candidate;
    }
}
