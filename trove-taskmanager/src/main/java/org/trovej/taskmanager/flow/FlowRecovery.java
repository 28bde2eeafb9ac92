package org.trovej.taskmanager.flow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.taskmanager.TaskManagerProperties;

/**
 * Picks up flows orphaned by a task manager that died when their request message is lost too (a broker
 * restart drops oslo's non-durable queues): once a flow's lease has been out for the recovery grace, it is
 * resumed from its stored step. A redelivered message normally gets there first, within a lease.
 */
@Component
public class FlowRecovery {

    private static final Logger log = LoggerFactory.getLogger(FlowRecovery.class);

    private final Map<String, ResumableFlow> flows;
    private final FlowExecutor executor;
    private final FlowStore store;
    private final Duration grace;

    public FlowRecovery(List<ResumableFlow> flows, FlowExecutor executor, FlowStore store,
                        TaskManagerProperties properties) {
        this.flows = flows.stream().collect(Collectors.toMap(ResumableFlow::name, Function.identity()));
        this.executor = executor;
        this.store = store;
        this.grace = properties.recoveryGrace();
    }

    public void tick() {
        for (FlowStore.Orphan orphan : store.orphans(grace)) {
            String id = orphan.instanceId();
            ResumableFlow flow = flows.get(orphan.flow());
            if (flow == null || store.isRunningHere(id)) {
                continue; // a create: the build watchdog times it out
            }
            log.warn("Flow {} of instance {} was left by a task manager that is gone; resuming it", orphan.flow(), id);
            executor.submit("resume " + orphan.flow() + " " + id, () -> flow.resume(id))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            log.warn("Resuming {} of {} failed: {}", orphan.flow(), id, e.getMessage());
                        }
                    });
        }
    }
}
