package org.trovej.taskmanager.database;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.trovej.taskmanager.flow.GuestCall;
import org.trovej.taskmanager.flow.GuestCallFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;

/** The operations on an instance's database that are one guest call each. */
@Configuration(proxyBeanMethods = false)
public class DatabaseFlows {

    public static final String RESTART = "restartFlow";
    public static final String STOP_DB = "stopDatabaseFlow";

    /**
     * {@code restart}: the guest restarts its database ({@code restart}, a call with the high timeout), then task
     * NONE. As in Trove the task is reset to NONE on failure too, with a fault; the guest's heartbeats then show
     * the database's real state.
     */
    @Bean(RESTART)
    public GuestCallFlow restartFlow(InstanceFlowParts parts) {
        return new GuestCallFlow(new GuestCall(GuestCall.RESTART, "restart", true, "The database could not be restarted: ",
                true, null), parts);
    }

    /**
     * {@code stop_db} (TroveJ; the management API's {@code stop}): the guest stops the database (Trove's guest
     * {@code stop_db}, a call with the low timeout). The task is not changed; the guest's heartbeat then shows the
     * database shut down. A failure leaves a fault.
     */
    @Bean(STOP_DB)
    public GuestCallFlow stopDatabaseFlow(InstanceFlowParts parts) {
        return new GuestCallFlow(new GuestCall(GuestCall.STOP_DB, "database stop", false,
                "The database could not be stopped: ", false, "The database of instance {} is stopped"), parts);
    }
}
