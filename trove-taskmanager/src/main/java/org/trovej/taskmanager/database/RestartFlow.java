package org.trovej.taskmanager.database;

import org.springframework.stereotype.Component;
import org.trovej.taskmanager.flow.GuestCall;
import org.trovej.taskmanager.flow.GuestCallFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;

/**
 * {@code restart}: the guest restarts its database ({@code restart}, a call with the high timeout), then task
 * NONE. As in Trove the task is reset to NONE on failure too, with a fault; the guest's heartbeats then show
 * the database's real state.
 */
@Component
public class RestartFlow extends GuestCallFlow {

    public RestartFlow(InstanceFlowParts parts) {
        super(new GuestCall(GuestCall.RESTART, "restart", true, "The database could not be restarted: ", true, null),
                parts);
    }
}
