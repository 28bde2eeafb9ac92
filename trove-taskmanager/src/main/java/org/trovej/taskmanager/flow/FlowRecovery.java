package org.trovej.taskmanager.flow;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private final JdbcTemplate jdbc;
    private final Map<String, ResumableFlow> flows;
    private final FlowExecutor executor;
    private final FlowStore store;
    private final long graceMillis;

    public FlowRecovery(JdbcTemplate jdbc, List<ResumableFlow> flows, FlowExecutor executor, FlowStore store,
                        TaskManagerProperties properties) {
        this.jdbc = jdbc;
        this.flows = flows.stream().collect(Collectors.toMap(ResumableFlow::name, Function.identity()));
        this.executor = executor;
        this.store = store;
        this.graceMillis = properties.recoveryGrace().toMillis();
    }

    public void tick() {
        List<String[]> orphans = jdbc.query("""
                SELECT id, flow_name FROM instances
                 WHERE flow_name IS NOT NULL AND flow_owner IS NOT NULL
                   AND flow_lease_until < timezone('UTC', clock_timestamp()) - CAST(? AS bigint) * interval '1 millisecond'
                """, (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}, graceMillis);
        for (String[] orphan : orphans) {
            ResumableFlow flow = flows.get(orphan[1]);
            if (flow == null || store.isRunningHere(orphan[0])) {
                continue; // a create: the build watchdog times it out
            }
            log.warn("Flow {} of instance {} was left by a task manager that is gone; resuming it", orphan[1],
                    orphan[0]);
            executor.submit("resume " + orphan[1] + " " + orphan[0], () -> flow.resume(orphan[0]))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            log.warn("Resuming {} of {} failed: {}", orphan[1], orphan[0], e.getMessage());
                        }
                    });
        }
    }
}
