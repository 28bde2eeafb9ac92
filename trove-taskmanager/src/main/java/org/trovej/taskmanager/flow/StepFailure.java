package org.trovej.taskmanager.flow;

import org.trovej.common.status.InstanceTask;

/**
 * A step failed for a reason worth telling the user in so many words (the exception's message becomes the
 * fault's message), optionally with the error task it means when it differs from the flow's default.
 */
public class StepFailure extends RuntimeException {

    private final InstanceTask errorTask;

    public StepFailure(String message) {
        this(message, null, null);
    }

    public StepFailure(String message, InstanceTask errorTask, Throwable cause) {
        super(message, cause);
        this.errorTask = errorTask;
    }

    /** The task the instance should end with, or null for the flow's own choice. */
    public InstanceTask errorTask() {
        return errorTask;
    }
}
