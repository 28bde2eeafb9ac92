package org.trovej.taskmanager.rpc;

import java.time.Duration;

/**
 * Work a task manager does on its own every so often while it runs ({@link TaskManagerServer} schedules every bean
 * of this type on its timers, with a failure logged and the next turn kept).
 */
public interface PeriodicWork {

    /** For the log, when a turn fails. */
    String name();

    Duration interval();

    void tick();
}
