package org.trovej.taskmanager.flow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One flow on one instance, as claimed by this task manager: the step it is at and its data (non-secret
 * inputs and what finished steps produced), both persisted with every step.
 */
public final class FlowRun {

    private final String instanceId;
    private final String flow;
    private final ObjectNode data;
    private volatile String step;
    /** Left to a monitor, which ends it: its engine run ends without an outcome. */
    private volatile boolean handedOver;

    FlowRun(String instanceId, String flow, String step, ObjectNode data) {
        this.instanceId = instanceId;
        this.flow = flow;
        this.step = step;
        this.data = data;
    }

    public String instanceId() {
        return instanceId;
    }

    public String flow() {
        return flow;
    }

    public String step() {
        return step;
    }

    void step(String value) {
        step = value;
    }

    void handedOver() {
        handedOver = true;
    }

    boolean isHandedOver() {
        return handedOver;
    }

    /** Mutable: steps record their results here; the next step transition persists them. */
    public ObjectNode data() {
        return data;
    }

    @Override
    public String toString() {
        return flow + "[" + instanceId + " at " + step + "]";
    }
}
