package org.trovej.taskmanager.restart;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.flow.FlowEngine;
import org.trovej.taskmanager.flow.FlowExecutor;
import org.trovej.taskmanager.flow.FlowStore;
import org.trovej.taskmanager.flow.GuestCallFlow;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * {@code restart}: the guest restarts its database ({@code restart}, a call with the high timeout), then task
 * NONE. As in Trove the task is reset to NONE on failure too, with a fault; the guest's heartbeats then show
 * the database's real state.
 */
@Component
public class RestartFlow extends GuestCallFlow {

    public static final String NAME = "restart";

    public RestartFlow(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                       GuestAgentClient guests) {
        super(NAME, "restart", store, engine, executor, records, guests);
    }

    @Override
    protected JsonNode call(GuestAgentClient guests, RpcContext context, String instanceId) {
        return guests.callHigh(context, instanceId, "restart", PythonJson.object());
    }

    @Override
    protected void succeeded(String instanceId) {
        records.setTask(instanceId, InstanceTask.NONE);
    }

    @Override
    protected String failureMessage() {
        return "The database could not be restarted: ";
    }

    @Override
    protected void afterFailure(String instanceId) {
        records.setTask(instanceId, InstanceTask.NONE);
    }
}
