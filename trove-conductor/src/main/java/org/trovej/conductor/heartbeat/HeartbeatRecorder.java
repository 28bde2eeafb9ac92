package org.trovej.conductor.heartbeat;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.common.rpc.RpcRetryLater;
import org.trovej.common.status.ServiceStatus;
import org.trovej.conductor.ConductorProperties;
import org.trovej.service.db.DatabaseUnavailable;
import org.trovej.service.status.GuestStatusChannel;

/**
 * Records heartbeats with group commit: heartbeats that arrive together are written in one transaction, and
 * each message is acknowledged only after the transaction that holds it has committed. One statement decides
 * everything per heartbeat, so no row is read first: the newest {@code sent} wins (an older heartbeat never
 * overwrites a newer one), and a stored {@code restart required} is kept until the control plane clears it,
 * as in Trove.
 */
@Component
public class HeartbeatRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatRecorder.class);

    /** Trove's task code BUILDING (0x05), shared by every service through the instances table. */
    private static final int BUILDING_TASK = 0x05;
    private static final java.util.Set<ServiceStatus> STILL_BUILDING = java.util.EnumSet.of(ServiceStatus.NEW,
            ServiceStatus.BUILDING, ServiceStatus.UNKNOWN);

    static final String APPLY = """
            UPDATE service_statuses
               SET status_id = ?, status_description = ?, updated_at = timezone('UTC', now()),
                   sent = COALESCE(?, sent), volume_used = COALESCE(?, volume_used)
             WHERE instance_id = ?
               AND (CAST(? AS double precision) IS NULL OR sent IS NULL OR sent < ?)
               AND status_description <> 'restart required'
            """;

    /** What became of a heartbeat. */
    public enum Outcome { APPLIED, IGNORED }

    private record Pending(String instanceId, ServiceStatus status, Double sent, Double volumeUsed,
                           CompletableFuture<Outcome> done) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile boolean running;
    private Thread writer;

    /** From a heartbeat's {@code sent} to its commit: the guest's clock, the broker's queue and ours. */
    private final Timer lag;

    public HeartbeatRecorder(JdbcTemplate jdbc, TransactionTemplate tx, ConductorProperties settings,
                             MeterRegistry registry) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.maxBatch = settings.heartbeatBatch();
        FunctionCounter.builder("trovej.conductor.heartbeats", applied, AtomicLong::get).tag("outcome", "applied")
                .description("Guest heartbeats committed").register(registry);
        FunctionCounter.builder("trovej.conductor.heartbeats", ignored, AtomicLong::get).tag("outcome", "ignored")
                .description("Guest heartbeats not applied: older than the last one, or restart required")
                .register(registry);
        FunctionCounter.builder("trovej.conductor.heartbeat.batches", batches, AtomicLong::get)
                .description("Transactions the heartbeats were committed in").register(registry);
        Gauge.builder("trovej.conductor.heartbeat.queue", queue, BlockingQueue::size)
                .description("Heartbeats received and not yet committed").register(registry);
        lag = Timer.builder("trovej.conductor.heartbeat.lag")
                .description("From the time a guest sent a heartbeat to its commit")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    /**
     * Queues a heartbeat; the future completes once it is committed (or deliberately ignored).
     *
     * @param volumeUsed the volume's used space in GB that TroveJ's guest adds to the payload; null (a Trove guest):
     *                   keep the stored figure
     */
    public CompletableFuture<Outcome> record(String instanceId, ServiceStatus status, Double sent, Double volumeUsed) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new RpcRetryLater("conductor is stopping", null));
            return done;
        }
        queue.add(new Pending(instanceId, status, sent, volumeUsed, done));
        return done;
    }

    public long appliedCount() {
        return applied.get();
    }

    public long ignoredCount() {
        return ignored.get();
    }

    public long batchCount() {
        return batches.get();
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("heartbeat writer: unexpected failure", e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        // A fixed order keeps two conductors writing overlapping batches from deadlocking.
        batch.sort(Comparator.comparing(Pending::instanceId)
                .thenComparing(p -> p.sent() == null ? Double.MAX_VALUE : p.sent()));
        int[][] counts;
        try {
            counts = tx.execute(status -> {
                int[][] written = jdbc.batchUpdate(APPLY, batch, batch.size(), HeartbeatRecorder::bind);
                announceBuildReports(batch);
                return written;
            });
        } catch (TransientDataAccessException | RecoverableDataAccessException | CannotGetJdbcConnectionException e) {
            retryLater(batch, e);
            return;
        } catch (DataAccessException | TransactionException e) {
            // the database away also shows as a transaction that cannot begin, or a rollback on a closed connection
            if (DatabaseUnavailable.causeIn(e) != null) {
                retryLater(batch, e);
                return;
            }
            log.error("{} heartbeats could not be recorded", batch.size(), e);
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        batches.incrementAndGet();
        double now = System.currentTimeMillis() / 1000.0;
        int i = 0;
        for (int[] chunk : counts) {
            for (int count : chunk) {
                Pending p = batch.get(i++);
                if (count > 0) {
                    applied.incrementAndGet();
                    recordLag(p.sent(), now);
                    p.done().complete(Outcome.APPLIED);
                } else {
                    ignored.incrementAndGet();
                    log.debug("heartbeat for {} ignored (older than the last one, restart required, or no status)",
                            p.instanceId());
                    p.done().complete(Outcome.IGNORED);
                }
            }
        }
    }

    private void recordLag(Double sent, double now) {
        // a guest's clock ahead of ours would give a negative lag: it counts as none
        if (sent != null) {
            lag.record(Duration.ofMillis(Math.max(0, Math.round((now - sent) * 1000))));
        }
    }

    private static void retryLater(List<Pending> batch, RuntimeException e) {
        log.warn("database unavailable, {} heartbeats go back to the queue: {}", batch.size(), e.getMessage());
        RpcRetryLater retry = new RpcRetryLater("database unavailable", e);
        batch.forEach(p -> p.done().completeExceptionally(retry));
    }

    /**
     * Notifies {@link GuestStatusChannel} (delivered at commit) when a heartbeat of the batch may end a build: a
     * status past building from an instance whose task is still BUILDING. Periodic heartbeats of running
     * instances wake nobody.
     */
    private void announceBuildReports(List<Pending> batch) {
        String ids = batch.stream().filter(p -> !STILL_BUILDING.contains(p.status())).map(Pending::instanceId)
                .distinct().collect(java.util.stream.Collectors.joining(","));
        if (ids.isEmpty()) {
            return;
        }
        jdbc.query("SELECT pg_notify(?, '') FROM instances WHERE id = ANY (string_to_array(?, ',')) "
                + "AND task_id = ? AND deleted = false LIMIT 1", rs -> null, GuestStatusChannel.NAME, ids,
                BUILDING_TASK);
    }

    private static void bind(PreparedStatement ps, Pending p) throws SQLException {
        ps.setInt(1, p.status().code());
        ps.setString(2, p.status().description());
        setDouble(ps, 3, p.sent());
        setDouble(ps, 4, p.volumeUsed());
        ps.setString(5, p.instanceId());
        setDouble(ps, 6, p.sent());
        setDouble(ps, 7, p.sent());
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        writer = new Thread(this::writeLoop, "heartbeat-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Below the conductor's RPC server: started before it and stopped after it, so every heartbeat taken is written. */
    @Override
    public int getPhase() {
        return 0;
    }
}
