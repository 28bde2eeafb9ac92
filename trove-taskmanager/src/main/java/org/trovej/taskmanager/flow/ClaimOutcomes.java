package org.trovej.taskmanager.flow;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.trovej.common.rpc.RpcRetryLater;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * What an operation on an existing instance (restart, resize) does with the answer to its claim: run when
 * claimed; hand the message back while another task manager holds the same flow (it may be finishing it);
 * wait the same way while a one-call flow ({@link GuestCall}) finishes; record a fault when the instance is busy
 * with another flow; drop it when the instance is gone or the message is a duplicate.
 *
 * @param operation the operation as a user reads it ("restart", "resize", "volume resize")
 * @param method    the task manager method that asked for it
 */
public record ClaimOutcomes(String operation, String method, InstanceRecords records, Logger log) {

    public void handle(String instanceId, Claim claim, Consumer<FlowRun> run) {
        if (claim instanceof Claim.Claimed claimed) {
            run.accept(claimed.run());
        } else if (claim instanceof Claim.Busy busy && busy.sameFlow()) {
            throw new RpcRetryLater("the " + operation + " of " + instanceId + " is held by another task manager",
                    null);
        } else if (claim instanceof Claim.Busy busy && GuestCall.isGuestCallFlow(busy.flow())) {
            // a one-call flow (stop_db, restart) finishing: its outcome may already be visible, so the user may
            // rightly act on it; wait for it instead of refusing
            throw new RpcRetryLater("the " + operation + " of " + instanceId + " waits for " + busy.flow()
                    + " to finish", null);
        } else if (claim instanceof Claim.Busy busy) {
            String label = Character.toUpperCase(operation.charAt(0)) + operation.substring(1);
            records.recordFault(instanceId, label + " not done: the instance is busy (" + busy.flow() + ")",
                    "Server type: taskmanager\n" + method + " arrived while flow " + busy.flow() + " was at "
                            + busy.step() + "\n");
        } else {
            log.info("{} for {} dropped: no such instance, or a duplicate", method, instanceId);
        }
    }
}
