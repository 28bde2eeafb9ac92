package org.trovej.taskmanager.flow;

/** The outcome of claiming an instance for a flow. */
public sealed interface Claim {

    /** This task manager runs the flow now, from {@code run.step()}. */
    record Claimed(FlowRun run) implements Claim {
    }

    /** No such instance, or it is deleted: nothing to do. */
    record Gone() implements Claim {
    }

    /** This task manager already runs this flow on the instance: the message is a duplicate. */
    record AlreadyRunning() implements Claim {
    }

    /**
     * Another flow holds the instance, or the same flow held by a task manager whose lease has not run out yet
     * (it may be alive, or it may have just died: wait for the lease).
     */
    record Busy(String flow, String step, boolean sameFlow) implements Claim {
    }
}
