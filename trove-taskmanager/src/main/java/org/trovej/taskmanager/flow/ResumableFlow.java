package org.trovej.taskmanager.flow;

/**
 * A flow that can continue from its stored step and data alone, when its task manager died and its request
 * message never came back (creates cannot: the passwords they carry are never stored).
 */
public interface ResumableFlow {

    String name();

    void resume(String instanceId) throws Exception;
}
