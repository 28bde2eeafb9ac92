package org.trovej.common.rpc;

/** Trove's topic names (the queues every Trove service and guest agree on). */
public final class Topics {

    public static final String TASKMANAGER = "taskmanager";
    public static final String CONDUCTOR = "trove-conductor";
    public static final String DEFAULT_EXCHANGE = "trove";

    private Topics() {
    }

    /** The topic a guest agent listens on: {@code guestagent.<instance id>}. */
    public static String guest(String instanceId) {
        return "guestagent." + instanceId;
    }
}
