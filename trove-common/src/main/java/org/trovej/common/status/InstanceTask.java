package org.trovej.common.status;

/**
 * Trove's InstanceTasks (openstack/trove, trove/instance/tasks.py): the code stored in {@code instances.task_id},
 * the action that drives the API status and the text stored in {@code task_description}. The API and the task
 * manager both write these rows, so both take codes and texts from here: a Trove API reading a row TroveJ wrote
 * (or the reverse) finds Trove's own words.
 */
public enum InstanceTask {
    NONE(0x01, "NONE", "No tasks for the instance."),
    DELETING(0x02, "DELETING", "Deleting the instance."),
    REBOOTING(0x03, "REBOOTING", "Rebooting the instance."),
    RESIZING(0x04, "RESIZING", "Resizing the instance."),
    BUILDING(0x05, "BUILDING", "The instance is building."),
    MIGRATING(0x06, "MIGRATING", "Migrating the instance."),
    RESTART_REQUIRED(0x07, "RESTART_REQUIRED", "Instance requires a restart."),
    PROMOTING(0x08, "PROMOTING", "Promoting the instance to replica source."),
    EJECTING(0x09, "EJECTING", "Ejecting the replica source."),
    LOGGING(0x0a, "LOGGING", "Transferring guest logs."),
    DETACHING(0x0b, "DETACHING", "Detaching the instance from replica source."),
    UPDATING(0x0c, "UPDATING", "Updating the instance."),
    BUILDING_ERROR_DNS(0x50, "BUILDING", "Build error: DNS.", true),
    BUILDING_ERROR_SERVER(0x51, "BUILDING", "Build error: Server.", true),
    BUILDING_ERROR_VOLUME(0x52, "BUILDING", "Build error: Volume.", true),
    BUILDING_ERROR_SEC_GROUP(0x53, "BUILDING", "Build error: Secgroup or rule.", true),
    BUILDING_ERROR_REPLICA(0x54, "BUILDING", "Build error: Replica.", true),
    PROMOTION_ERROR(0x55, "PROMOTING", "Replica Promotion Error.", true),
    EJECTION_ERROR(0x56, "EJECTING", "Replica Source Ejection Error.", true),
    GROWING_ERROR(0x57, "GROWING", "Growing Cluster Error.", true),
    SHRINKING_ERROR(0x58, "SHRINKING", "Shrinking Cluster Error.", true),
    UPGRADING(0x59, "UPGRADING", "Upgrading the instance."),
    UPGRADING_ERROR(0x5a, "UPGRADING", "Upgrading Cluster Error.", true),
    BUILDING_ERROR_TIMEOUT_GA(0x5b, "ERROR", "Build error: guestagent timeout.", true),
    BUILDING_ERROR_PORT(0x5c, "BUILDING", "Build error: Port.", true),
    UPDATING_ERROR_ACCESS(0x5d, "UPDATING", "Update error: Access.", true),
    /** A code this build does not know (written by a newer task manager): no task the API can name. */
    UNRECOGNIZED(-1, "UNKNOWN", "Unknown task.");

    private final int code;
    private final String action;
    private final String description;
    private final boolean error;

    InstanceTask(int code, String action, String description) {
        this(code, action, description, false);
    }

    InstanceTask(int code, String action, String description, boolean error) {
        this.code = code;
        this.action = action;
        this.description = description;
        this.error = error;
    }

    public int code() {
        return code;
    }

    public String action() {
        return action;
    }

    public String description() {
        return description;
    }

    public boolean isError() {
        return error;
    }

    public static InstanceTask fromCode(Integer code) {
        if (code != null) {
            for (InstanceTask task : values()) {
                if (task.code == code) {
                    return task;
                }
            }
        }
        return UNRECOGNIZED;
    }
}
