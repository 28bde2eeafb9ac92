package org.trovej.taskmanager;

/**
 * The order of the task manager's lifecycle beans (Spring starts low phases first and stops them last), kept in
 * one place so that a compute back end can order itself around the RPC server without depending on it.
 */
public final class LifecyclePhases {

    /** The task manager consuming its topic: after the local back end has powered its servers on, before the
     * conductor stops. */
    public static final int TASK_MANAGER = 200;

    /** The local back end's servers: on before the task manager takes messages, off only after it has stopped. */
    public static final int LOCAL_SERVERS = TASK_MANAGER - 50;

    private LifecyclePhases() {
    }
}
