package org.trovej.taskmanager.flow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The flows by type: {@code trovej_flows_started_total{flow}} (runs from their first step),
 * {@code trovej_flows_ended_total{flow,outcome}} (succeeded or failed) and {@code trovej_flows_running} (held by
 * this task manager now). A flow handed over to a monitor (a build waiting for its guest, a backup waiting for its
 * end) is ended by that monitor, which says how.
 */
@Component
public class FlowMetrics {

    public enum Outcome { SUCCEEDED, FAILED }

    private final MeterRegistry registry;

    public FlowMetrics(MeterRegistry registry, FlowStore store) {
        this.registry = registry;
        Gauge.builder("trovej.flows.running", store, FlowStore::runningCount)
                .description("Flows this task manager holds now").register(registry);
    }

    void started(String flow) {
        Counter.builder("trovej.flows.started").tag("flow", flow)
                .description("Flow runs from their first step").register(registry).increment();
    }

    public void ended(String flow, Outcome outcome) {
        Counter.builder("trovej.flows.ended").tag("flow", flow).tag("outcome", outcome.name().toLowerCase())
                .description("Flows that ended, by how").register(registry).increment();
    }
}
