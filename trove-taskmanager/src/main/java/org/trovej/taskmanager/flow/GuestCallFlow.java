package org.trovej.taskmanager.flow;

import java.util.List;

import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;

/**
 * A flow that is one call to the instance's guest ({@link GuestCall}): claimed and persisted like every flow,
 * so a task manager that dies during the call has it resumed; a failure leaves a fault.
 */
public abstract class GuestCallFlow extends InstanceFlow {

    private final GuestCall call;

    protected GuestCallFlow(GuestCall call, InstanceFlowParts parts) {
        super(call.method(), call.method(), call.operation(), parts);
        this.call = call;
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        engine.execute(run, List.of(new Step(name(), r -> callGuest(context, id))),
                r -> store.close(r, () -> {
                    endTask(id);
                    if (call.doneMessage() != null) {
                        log.info(call.doneMessage(), id);
                    }
                }),
                (r, step, cause) -> closeWithFault(r, step, cause, call.failureMessage(), () -> endTask(id)));
    }

    private void callGuest(RpcContext context, String id) {
        if (call.highTimeout()) {
            guests.callHigh(context, id, call.method(), PythonJson.object());
        } else {
            guests.callLow(context, id, call.method(), PythonJson.object());
        }
    }

    private void endTask(String id) {
        if (call.endsTask()) {
            records.setTask(id, InstanceTask.NONE);
        }
    }
}
