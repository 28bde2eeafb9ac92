package org.trovej.taskmanager.flow;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.common.json.PythonJson;
import org.trovej.taskmanager.TaskManagerProperties;

/**
 * The flows' persisted state on their instance rows ({@code flow_*}, V2 migration). Every transition is a
 * conditional update on (flow, owner): a flow that has been taken over (by a delete, the build watchdog, or
 * another task manager after this one's lease ran out) finds out at its next step and stops.
 */
@Component
public class FlowStore {

    private static final Logger log = LoggerFactory.getLogger(FlowStore.class);
    private static final String NOW = "timezone('UTC', clock_timestamp())";
    private static final String LEASE = NOW + " + CAST(? AS bigint) * interval '1 millisecond'";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Duration lease;
    /** This process's name on the flows it holds: host, pid, and one per context, since tests run several. */
    private final String owner;
    /** The flows running here, renewed together. */
    private final Map<String, FlowRun> running = new ConcurrentHashMap<>();

    public FlowStore(JdbcTemplate jdbc, TransactionTemplate tx, TaskManagerProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.lease = properties.flowLease();
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String owner() {
        return owner;
    }

    /** How many flows this task manager holds now. */
    public int runningCount() {
        return running.size();
    }

    /**
     * Claims the instance for {@code flow}: a new flow starts at {@code firstStep} with {@code data}; the same
     * flow left behind by a task manager whose lease ran out (or handed over, or our own) resumes where it was.
     *
     * @param deadline  how long the flow may take at most (builds), or null
     * @param supersede take the instance from whatever flow holds it (a delete does)
     */
    public Claim claim(String instanceId, String flow, String firstStep, ObjectNode data, Duration deadline,
                       boolean supersede) {
        return claim(instanceId, flow, firstStep, data, deadline, supersede, false);
    }

    /** Claims the instance only to resume {@code flow} where it is: never starts it anew. */
    public Claim claimToResume(String instanceId, String flow) {
        return claim(instanceId, flow, null, PythonJson.object(), null, false, true);
    }

    private Claim claim(String instanceId, String flow, String firstStep, ObjectNode data, Duration deadline,
                        boolean supersede, boolean resumeOnly) {
        FlowRun mine = running.get(instanceId);
        if (mine != null && mine.flow().equals(flow)) {
            return new Claim.AlreadyRunning();
        }
        String dataJson = PythonJson.dumps(data);
        List<Object[]> claimed = jdbc.query("""
                UPDATE instances SET
                       flow_step = CASE WHEN flow_name = ? THEN COALESCE(flow_step, ?) ELSE ? END,
                       flow_data = CASE WHEN flow_name = ? THEN COALESCE(flow_data, CAST(? AS jsonb))
                                        ELSE CAST(? AS jsonb) END,
                       flow_started = CASE WHEN flow_name = ? THEN COALESCE(flow_started, %1$s) ELSE %1$s END,
                       flow_deadline = CASE WHEN flow_name = ? THEN flow_deadline
                                            ELSE %1$s + CAST(? AS bigint) * interval '1 millisecond' END,
                       flow_name = ?, flow_owner = ?, flow_lease_until = %2$s
                 WHERE id = ? AND deleted = false AND (NOT ? OR flow_name = ?)
                   AND (flow_name IS NULL OR (? AND flow_name <> ?)
                        OR (flow_name = ? AND (flow_owner IS NULL OR flow_lease_until IS NULL
                                               OR flow_lease_until < %1$s OR flow_owner = ?)))
                RETURNING flow_step, flow_data::text
                """.formatted(NOW, LEASE),
                (rs, n) -> new Object[] {rs.getString(1), rs.getString(2)},
                flow, firstStep, firstStep,
                flow, dataJson, dataJson,
                flow,
                flow, deadline == null ? null : deadline.toMillis(),
                flow, owner, lease.toMillis(),
                instanceId, resumeOnly, flow, supersede, flow, flow, owner);
        if (claimed.isEmpty()) {
            return whyNot(instanceId, flow);
        }
        FlowRun run = new FlowRun(instanceId, flow, (String) claimed.get(0)[0], parse((String) claimed.get(0)[1]));
        running.put(instanceId, run);
        return new Claim.Claimed(run);
    }

    private Claim whyNot(String instanceId, String flow) {
        List<Claim> state = jdbc.query("SELECT deleted, flow_name, flow_step FROM instances WHERE id = ?",
                (rs, n) -> rs.getBoolean(1) ? new Claim.Gone()
                        : new Claim.Busy(rs.getString(2), rs.getString(3), flow.equals(rs.getString(2))),
                instanceId);
        return state.isEmpty() ? new Claim.Gone() : state.get(0);
    }

    /** Moves the flow to {@code step}, persisting its data; throws when the flow is no longer ours. */
    public void advance(FlowRun run, String step) {
        int updated = jdbc.update("UPDATE instances SET flow_step = ?, flow_data = CAST(? AS jsonb), "
                + "flow_lease_until = " + LEASE + " WHERE id = ? AND flow_name = ? AND flow_owner = ?",
                step, PythonJson.dumps(run.data()), lease.toMillis(), run.instanceId(), run.flow(), owner);
        if (updated == 0) {
            forget(run);
            throw new FlowSuperseded(run + " was taken over");
        }
        run.step(step);
    }

    /**
     * Leaves the flow at {@code step} with no owner: from there it is driven by the database state alone (a
     * build waiting for its guest is watched by the build monitor), so no lease has to be kept.
     */
    public void handOver(FlowRun run, String step) {
        int updated = jdbc.update("UPDATE instances SET flow_step = ?, flow_data = CAST(? AS jsonb), "
                + "flow_owner = NULL, flow_lease_until = NULL WHERE id = ? AND flow_name = ? AND flow_owner = ?",
                step, PythonJson.dumps(run.data()), run.instanceId(), run.flow(), owner);
        forget(run);
        if (updated == 0) {
            throw new FlowSuperseded(run + " was taken over");
        }
        run.step(step);
        run.handedOver();
    }

    /**
     * Ends the flow and applies {@code outcome} (task, fault, ...) in the same transaction, only if the flow is
     * still ours.
     */
    public void close(FlowRun run, Runnable outcome) {
        try {
            tx.executeWithoutResult(status -> {
                int updated = jdbc.update(clearFlow("id = ? AND flow_name = ? AND flow_owner = ?"),
                        run.instanceId(), run.flow(), owner);
                if (updated == 0) {
                    throw new FlowSuperseded(run + " was taken over");
                }
                outcome.run();
            });
        } finally {
            forget(run);
        }
    }

    /**
     * Ends a flow nobody holds (a handed-over build) with {@code outcome}, if it is still at {@code step}: of
     * several task managers watching builds, exactly one applies the outcome.
     */
    public boolean closeUnowned(String instanceId, String flow, String step, Runnable outcome) {
        Boolean done = tx.execute(status -> {
            int updated = jdbc.update(clearFlow("id = ? AND flow_name = ? AND flow_step = ? AND flow_owner IS NULL"),
                    instanceId, flow, step);
            if (updated == 0) {
                return false;
            }
            outcome.run();
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    /** Ends whatever flow the instance has (the build watchdog's timeout) with {@code outcome}. */
    public boolean closeAny(String instanceId, String expectedFlow, Runnable outcome) {
        Boolean done = tx.execute(status -> {
            int updated = jdbc.update(clearFlow("id = ? AND deleted = false AND flow_name IS NOT DISTINCT FROM ?"),
                    instanceId, expectedFlow);
            if (updated == 0) {
                return false;
            }
            outcome.run();
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    /** Gives the flow up without ending it (shutting down): its lease runs out now, so it may be taken over. */
    public void release(FlowRun run) {
        try {
            jdbc.update("UPDATE instances SET flow_lease_until = " + NOW + " - interval '1 millisecond' "
                    + "WHERE id = ? AND flow_name = ? AND flow_owner = ?", run.instanceId(), run.flow(), owner);
        } catch (RuntimeException e) {
            log.warn("Could not release {}: {} (its lease runs out by itself)", run, e.getMessage());
        } finally {
            forget(run);
        }
    }

    /** Extends the leases of the flows running here; called well within a lease period. */
    public void renewLeases() {
        if (running.isEmpty()) {
            return;
        }
        String[] ids = running.keySet().toArray(String[]::new);
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE instances SET flow_lease_until = " + LEASE
                    + " WHERE flow_owner = ? AND id = ANY(?)");
            ps.setLong(1, lease.toMillis());
            ps.setString(2, owner);
            ps.setArray(3, con.createArrayOf("varchar", ids));
            return ps;
        });
    }

    /** A flow whose task manager is gone: its lease ran out more than the recovery grace ago. */
    public record Orphan(String instanceId, String flow) {
    }

    /** The flows held by a task manager whose lease ran out more than {@code grace} ago. */
    public List<Orphan> orphans(Duration grace) {
        return jdbc.query("""
                SELECT id, flow_name FROM instances
                 WHERE flow_name IS NOT NULL AND flow_owner IS NOT NULL
                   AND flow_lease_until < %s - CAST(? AS bigint) * interval '1 millisecond'
                """.formatted(NOW), (rs, n) -> new Orphan(rs.getString(1), rs.getString(2)), grace.toMillis());
    }

    public boolean isRunningHere(String instanceId) {
        return running.containsKey(instanceId);
    }

    /** This process no longer runs {@code run} (its row is left as it is). */
    public void forget(FlowRun run) {
        running.remove(run.instanceId(), run);
    }

    private static String clearFlow(String where) {
        return "UPDATE instances SET flow_name = NULL, flow_step = NULL, flow_data = NULL, flow_started = NULL, "
                + "flow_deadline = NULL, flow_owner = NULL, flow_lease_until = NULL WHERE " + where;
    }

    private static ObjectNode parse(String json) {
        if (json == null) {
            return PythonJson.object();
        }
        try {
            JsonNode node = PythonJson.parse(json);
            return node instanceof ObjectNode object ? object : PythonJson.object();
        } catch (JsonProcessingException e) {
            return PythonJson.object();
        }
    }
}
