package org.trovej.taskmanager.instance;

/** Trove's instance tasks ({@code instances.task_id} / {@code task_description}) that the task manager sets. */
public enum InstanceTask {
    NONE(0x01, "No tasks for the instance."),
    DELETING(0x02, "Deleting the instance."),
    REBOOTING(0x03, "Rebooting the instance."),
    RESIZING(0x04, "Resizing the instance."),
    BUILDING(0x05, "The instance is building."),
    BUILDING_ERROR_SERVER(0x51, "Build error: Server."),
    BUILDING_ERROR_VOLUME(0x52, "Build error: Volume."),
    BUILDING_ERROR_REPLICA(0x54, "Build error: Replica."),
    BUILDING_ERROR_TIMEOUT_GA(0x5b, "Build error: Guest Agent timeout."),
    BUILDING_ERROR_PORT(0x5c, "Build error: Port.");

    private final int code;
    private final String description;

    InstanceTask(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }
}
