package org.trovej.common.status;

import java.util.Set;

/**
 * The instance {@code status} Trove's API shows (trove/instance/models.py SimpleInstance.status), derived from the
 * records every service shares: the task, the server status the task manager recorded and whether a backup runs.
 * One definition for the API's views and the conductor's per-instance metrics.
 */
public final class InstanceStatus {

    private static final Set<String> SERVER_STATUSES = Set.of("BUILD", "ERROR", "REBOOT", "RESIZE", "ACTIVE",
            "SHUTDOWN");

    private InstanceStatus() {
    }

    /**
     * The task first, then a running backup, then the server.
     *
     * @param serverStatus as stored; null or DELETED reads as SHUTDOWN, as Trove reads a server Nova cannot find
     */
    public static String of(InstanceTask task, String serverStatus, boolean backupRunning) {
        String server = serverStatus == null || serverStatus.equals("DELETED") ? "SHUTDOWN" : serverStatus;
        if (task.isError()) {
            return "ERROR";
        }
        switch (task.action()) {
            case "BUILDING":
                return server.equals("ERROR") ? "ERROR" : "BUILD";
            case "REBOOTING":
                return "REBOOT";
            case "RESIZING":
                return "RESIZE";
            case "UPGRADING":
                return "UPGRADE";
            case "RESTART_REQUIRED":
                return "RESTART_REQUIRED";
            case "PROMOTING":
                return "PROMOTE";
            case "EJECTING":
                return "EJECT";
            case "LOGGING":
                return "LOGGING";
            case "DETACHING":
                return "DETACH";
            case "DELETING":
                return Set.of("ACTIVE", "SHUTDOWN").contains(server) ? "SHUTDOWN" : "ERROR";
            default:
                break;
        }
        if (backupRunning) {
            return "BACKUP";
        }
        if (SERVER_STATUSES.contains(server)) {
            return server;
        }
        return server.equals("VERIFY_RESIZE") ? "RESIZE" : "UNKNOWN";
    }
}
