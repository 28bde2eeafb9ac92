package org.trovej.taskmanager.stop;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.flow.FlowEngine;
import org.trovej.taskmanager.flow.FlowExecutor;
import org.trovej.taskmanager.flow.FlowStore;
import org.trovej.taskmanager.flow.GuestCallFlow;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * {@code stop_db} (TroveJ; the management API's {@code stop}): the guest stops the database (Trove's guest
 * {@code stop_db}, a call with the low timeout). The task is not changed; the guest's heartbeat then shows the
 * database shut down. A failure leaves a fault.
 */
@Component
public class StopDatabaseFlow extends GuestCallFlow {

    public static final String NAME = "stop_db";

    public StopDatabaseFlow(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                            GuestAgentClient guests) {
        super(NAME, "database stop", store, engine, executor, records, guests);
    }

    @Override
    protected JsonNode call(GuestAgentClient guests, RpcContext context, String instanceId) {
        return guests.callLow(context, instanceId, "stop_db", PythonJson.object());
    }

    @Override
    protected void succeeded(String instanceId) {
        log.info("The database of instance {} is stopped", instanceId);
    }

    @Override
    protected String failureMessage() {
        return "The database could not be stopped: ";
    }
}
