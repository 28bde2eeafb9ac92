package org.trovej.api.instance;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Set;

import org.trovej.api.error.ApiException;
import org.trovej.common.status.InstanceStatus;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;

/**
 * What Trove derives from an instance's records (trove/instance/models.py SimpleInstance.status,
 * operating_status, validate_can_perform_action): the task, the server status the task manager recorded (the
 * API never asks the compute back end), the guest's service status and whether a backup is running.
 *
 * @param serverStatus as stored; a server that is gone (DELETED) or was never recorded reads as SHUTDOWN, as
 *                     Trove reads a server Nova cannot find
 */
public record InstanceState(InstanceTask task, String serverStatus, ServiceStatus service, boolean backupRunning) {

    /** Trove's ServiceStatus.action_is_allowed. */
    private static final Set<ServiceStatus> ACTIONABLE = Set.of(ServiceStatus.RUNNING, ServiceStatus.SHUTDOWN,
            ServiceStatus.CRASHED, ServiceStatus.BLOCKED, ServiceStatus.HEALTHY, ServiceStatus.RESTART_REQUIRED);

    public InstanceState {
        serverStatus = serverStatus == null || serverStatus.equals("DELETED") ? "SHUTDOWN" : serverStatus;
    }

    /** The API {@code status}: the task first, then a running backup, then the server. */
    public String status() {
        return InstanceStatus.of(task, serverStatus, backupRunning);
    }

    /** The guest's view of the database, only while no task runs on an active server; else "". */
    public String operatingStatus() {
        return task == InstanceTask.NONE && serverStatus.equals("ACTIVE") ? service.apiName() : "";
    }

    /** Trove's "instance busy" check before an action: 422 naming what is in the way. */
    public void requireActionable(String instanceId) {
        String type = "instance";
        String current;
        if (!serverStatus.equals("ACTIVE") && !serverStatus.equals("HEALTHY")) {
            current = serverStatus;
        } else if (task != InstanceTask.NONE && task != InstanceTask.RESTART_REQUIRED) {
            type = "task";
            current = task.action();
        } else if (!ACTIONABLE.contains(service)) {
            current = status();
        } else if (backupRunning) {
            current = "BACKUP";
        } else {
            return;
        }
        throw ApiException.unprocessable("Instance " + instanceId + " is not currently available for an action to be "
                + "performed (" + type + " status was " + current + ").");
    }

    /**
     * Trove's heartbeat expiry (update_service_status): with no task running, a guest not heard from for the
     * expiry period reads as "guestagent error" (operating status ERROR); a pending restart is left alone.
     */
    public static ServiceStatus liveStatus(InstanceTask task, ServiceStatus stored, LocalDateTime lastHeartbeat,
                                           Duration expiry, LocalDateTime now) {
        if (task != InstanceTask.NONE || stored == ServiceStatus.RESTART_REQUIRED) {
            return stored;
        }
        boolean current = lastHeartbeat != null && Duration.between(lastHeartbeat, now).compareTo(expiry) < 0;
        return current ? stored : ServiceStatus.FAILED_TIMEOUT_GUESTAGENT;
    }
}
