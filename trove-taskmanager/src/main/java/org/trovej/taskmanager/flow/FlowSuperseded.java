package org.trovej.taskmanager.flow;

/**
 * The flow no longer holds its instance: a delete took it over, the build watchdog ended it, or another task
 * manager took it over after this one's lease ran out. The flow stops without touching the instance again.
 */
public class FlowSuperseded extends RuntimeException {

    public FlowSuperseded(String message) {
        super(message, null, false, false);
    }
}
