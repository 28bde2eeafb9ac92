package org.trovej.taskmanager.database;

import org.springframework.stereotype.Component;
import org.trovej.taskmanager.flow.GuestCall;
import org.trovej.taskmanager.flow.GuestCallFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;

/**
 * {@code stop_db} (TroveJ; the management API's {@code stop}): the guest stops the database (Trove's guest
 * {@code stop_db}, a call with the low timeout). The task is not changed; the guest's heartbeat then shows the
 * database shut down. A failure leaves a fault.
 */
@Component
public class StopDatabaseFlow extends GuestCallFlow {

    public StopDatabaseFlow(InstanceFlowParts parts) {
        super(new GuestCall(GuestCall.STOP_DB, "database stop", false, "The database could not be stopped: ", false,
                "The database of instance {} is stopped"), parts);
    }
}
