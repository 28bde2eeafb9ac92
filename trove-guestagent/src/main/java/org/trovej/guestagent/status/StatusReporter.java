package org.trovej.guestagent.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.status.ServiceStatus;
import org.trovej.guestagent.conductor.ConductorClient;

/**
 * The guest's heartbeat: the datastore's status sent to the conductor every {@code report_interval}, and at
 * once when it changes.
 * <p>
 * As in Trove, nothing is sent before a prepare has succeeded (the control plane's own status, {@code new} or
 * {@code failed to spawn}, must not be overwritten by a database that was never set up), except what an
 * operation reports itself ({@code building}, {@code failed to spawn}). Between full probes a cheap check
 * (is the server process still the same one?) runs every couple of seconds, so a crash is reported within
 * seconds without connecting to the database all the time. While an operation runs, it reports its own
 * transitions and the loop only repeats the last status to keep the instance alive in the control plane.
 */
public final class StatusReporter implements AutoCloseable {

    /** What the loop asks the datastore manager. */
    public interface Source {
        /** A prepare has completed on this data directory. */
        boolean installed();

        /**
         * Runs {@code check} unless an operation (prepare, restart, ...) is under way, and keeps operations
         * from starting meanwhile, so a probe never reports a state an operation has already moved on from.
         *
         * @return false when an operation was under way and {@code check} did not run
         */
        boolean whenIdle(Runnable check);

        /** Something cheap that changes when the server process comes or goes (e.g. its pid). */
        Object quickState();

        /** The full check, which may connect to the database. */
        ServiceStatus probe();

        /**
         * Upkeep of the prepared datastore, run by the loop when no operation is under way (e.g. pruning archived
         * WAL); it decides itself how often it does any work, and never throws.
         */
        default void housekeeping() {
        }

        /**
         * Starts the database again if it died on its own (not stopped on request), run by the loop after each
         * check when no operation is under way; it reports what it does itself and never throws.
         */
        default void restartIfDied() {
        }

        /** Space used on the volume in GB, for the heartbeat's payload; null when there is none to tell. */
        default Double volumeUsedGb() {
            return null;
        }
    }

    /** How often the volume's used space is measured again (it may walk the data directory). */
    static final Duration VOLUME_REFRESH = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    private final ConductorClient conductor;
    private final Duration reportInterval;
    private final Duration watchInterval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile Source source;
    private ServiceStatus current;
    private long lastSentNanos;
    private long lastSentMicros;
    private boolean sentOnce;
    private Object lastQuickState;
    /** Measured on the timer thread, outside the lock, so a long walk of the data directory delays no report. */
    private volatile Double volumeUsed;
    private long volumeMeasuredNanos;

    public StatusReporter(ConductorClient conductor, Duration reportInterval, Duration watchInterval) {
        this.conductor = conductor;
        this.reportInterval = reportInterval;
        this.watchInterval = watchInterval;
    }

    public void start(Source statusSource) {
        this.source = statusSource;
        long period = watchInterval.toMillis();
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** Sends {@code status} now (an operation's transition), and remembers it. */
    public synchronized void report(ServiceStatus status) {
        if (status != current) {
            log.info("Datastore status: {}", status.description());
        }
        current = status;
        send(status);
    }

    public synchronized ServiceStatus current() {
        return current;
    }

    private void tick() {
        try {
            Source s = source;
            if (s == null) {
                return;
            }
            measureVolumeIfDue(s);
            boolean idle = s.whenIdle(() -> {
                if (!s.installed()) {
                    return;
                }
                Object quick = s.quickState();
                boolean changed = !Objects.equals(quick, lastQuickState);
                lastQuickState = quick;
                if (changed || due()) {
                    report(s.probe());
                }
                s.restartIfDied();
                s.housekeeping();
            });
            if (!idle) {
                resendIfDue();
            }
        } catch (RuntimeException e) {
            log.warn("Status check failed: {}", e.getMessage());
        }
    }

    /**
     * Measures the volume's used space again when the last figure is older than {@link #VOLUME_REFRESH}, or when
     * there is none yet (not prepared: asked again at the next tick, not only after the refresh period). Runs on the
     * timer thread only; heartbeats send the newest figure.
     */
    private void measureVolumeIfDue(Source s) {
        long now = System.nanoTime();
        if (volumeUsed == null || now - volumeMeasuredNanos >= VOLUME_REFRESH.toNanos()) {
            Double measured;
            try {
                measured = s.volumeUsedGb();
            } catch (RuntimeException e) {
                log.debug("Volume usage not measured: {}", e.getMessage());
                measured = null;
            }
            volumeUsed = measured;
            volumeMeasuredNanos = now;
        }
    }

    private synchronized void resendIfDue() {
        if (current != null && due()) {
            send(current);
        }
    }

    private synchronized boolean due() {
        return !sentOnce || System.nanoTime() - lastSentNanos >= reportInterval.toNanos();
    }

    private synchronized void send(ServiceStatus status) {
        try {
            conductor.heartbeat(status, nextSent(), volumeUsed);
            lastSentNanos = System.nanoTime();
            sentOnce = true;
        } catch (RuntimeException e) {
            // the broker may be away; the next tick tries again (the transport reconnects by itself)
            log.warn("Heartbeat '{}' not sent: {}", status.description(), e.getMessage());
        }
    }

    /**
     * UNIX time with microseconds, strictly increasing: the conductor drops a heartbeat whose {@code sent} is
     * not newer than the last one it saw, and two transitions can fall in the same microsecond.
     */
    private long nextSentMicros() {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        if (micros <= lastSentMicros) {
            micros = lastSentMicros + 1;
        }
        lastSentMicros = micros;
        return micros;
    }

    private double nextSent() {
        return nextSentMicros() / 1_000_000.0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
