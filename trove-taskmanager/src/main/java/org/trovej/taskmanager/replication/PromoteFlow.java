package org.trovej.taskmanager.replication;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.springframework.stereotype.Component;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.taskmanager.flow.FaultText;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.Step;

/**
 * {@code promote_to_replica_source} (Trove's sequence, trove-rpc.md §6.5), on the replica C to promote, whose source
 * is P: P stops taking writes → C replays P's last transaction → C becomes a writable source → the records say so →
 * the other replicas follow C → P follows C and is demoted. The API set task PROMOTING on all of them.
 * <p>
 * Better than Trove: a failure before C has left its source (P unreachable, C behind) undoes P's read-only and puts
 * every task back to NONE with a fault on C, the replication set unchanged; Trove leaves them all in
 * PROMOTION_ERROR. No row committed on P is lost: P refuses writes before its last transaction is read, and C is
 * promoted only once it has replayed it.
 */
@Component
public class PromoteFlow extends InstanceFlow {

    public static final String NAME = "promote_to_replica_source";
    static final String READ_ONLY = "source_read_only";
    static final String CATCH_UP = "catch_up";
    static final String MAKE_SOURCE = "make_source";
    static final String RECORDS = "switch_records";
    static final String REPOINT = "repoint_replicas";
    static final String DEMOTE = "demote_old_source";

    private final ReplicationGuests replication;
    private final ReplicationSteps steps;

    public PromoteFlow(InstanceFlowParts parts, ReplicationGuests replication, ReplicationSteps steps) {
        super(NAME, READ_ONLY, "promote", parts);
        this.replication = replication;
        this.steps = steps;
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String candidate = run.instanceId();
        if (!run.data().has("source")) {
            String source = records.sourceOf(candidate).orElse(null);
            if (source == null) {
                store.close(run, () -> records.setTask(candidate, InstanceTask.NONE));
                log.warn("promote_to_replica_source for {} dropped: it is not a replica", candidate);
                return;
            }
            run.data().put("source", source);
            ArrayNode siblings = run.data().putArray("siblings");
            records.replicasOf(source).stream().filter(id -> !id.equals(candidate)).forEach(siblings::add);
        }
        String source = run.data().path("source").asText();
        List<String> siblings = new ArrayList<>();
        run.data().path("siblings").forEach(s -> siblings.add(s.asText()));
        List<String> failed = new ArrayList<>();
        engine.execute(run, List.of(
                new Step(READ_ONLY, r -> replication.makeReadOnly(context, source, true)),
                new Step(CATCH_UP, r -> {
                    String txn = replication.latestTxnId(context, source);
                    replication.waitForTxn(context, candidate, txn);
                }),
                new Step(MAKE_SOURCE, r -> steps.makeSource(context, candidate)),
                new Step(RECORDS, r -> {
                    records.setSource(candidate, null);
                    records.setSource(source, candidate);
                    siblings.forEach(s -> records.setSource(s, candidate));
                }),
                new Step(REPOINT, r -> failed.addAll(steps.repoint(context, candidate, siblings,
                        InstanceTask.PROMOTION_ERROR, "Promote"))),
                new Step(DEMOTE, r -> {
                    replication.attachReplica(context, source, replication.replicaContext(context, candidate),
                            steps.config(source), false);
                    replication.demoteReplicationMaster(context, source);
                })),
                r -> store.close(r, () -> {
                    endTasks(candidate, source, siblings, failed);
                    log.info("Instance {} is the replication source now; {} follows it", candidate, source);
                }),
                (r, step, cause) -> failed(context, r, step, cause, source, siblings, failed));
    }

    private void endTasks(String candidate, String source, List<String> siblings, List<String> failed) {
        records.setTask(candidate, InstanceTask.NONE);
        records.setTask(source, InstanceTask.NONE);
        siblings.stream().filter(s -> !failed.contains(s)).forEach(s -> records.setTask(s, InstanceTask.NONE));
    }

    private void failed(RpcContext context, FlowRun run, String step, Exception cause, String source,
                        List<String> siblings, List<String> failedSiblings) {
        String candidate = run.instanceId();
        if (READ_ONLY.equals(step) || CATCH_UP.equals(step)) {
            // the candidate never left its source: the set is as it was, once the source takes writes again
            try {
                replication.makeReadOnly(context, source, false);
            } catch (RuntimeException e) {
                log.error("After the failed promote of {}, source {} could not be made writable again: {}",
                        candidate, source, e.toString());
                records.recordFault(source, "Promote of " + candidate + " failed and this source may still refuse "
                        + "writes: " + FaultText.reason(e), "Server type: taskmanager\n" + e);
            }
            closeWithFault(run, step, cause, "The replica could not be promoted (the replication set is unchanged): ",
                    () -> endTasks(candidate, source, siblings, List.of()));
            return;
        }
        if (DEMOTE.equals(step)) {
            // the new source and its replicas work; only the old source did not become a replica
            closeWithFault(run, step, cause, "Promoted; the old source " + source + " could not be made a replica: ",
                    () -> {
                        endTasks(candidate, source, siblings, failedSiblings);
                        records.setTask(source, InstanceTask.PROMOTION_ERROR);
                        records.recordFault(source, "This old source could not be made a replica of " + candidate
                                + ": " + FaultText.reason(cause), "Server type: taskmanager\n" + cause);
                    });
            return;
        }
        closeWithFault(run, step, cause, "The promote failed at " + step + ": ", () -> {
            records.setTask(candidate, InstanceTask.PROMOTION_ERROR);
            records.setTask(source, InstanceTask.PROMOTION_ERROR);
            siblings.forEach(s -> records.setTask(s, InstanceTask.PROMOTION_ERROR));
        });
    }
}
