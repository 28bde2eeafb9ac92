package org.trovej.taskmanager.compute.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.trovej.common.process.RestartBackOff;
import org.trovej.taskmanager.LifecyclePhases;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * What systemd's {@code Restart=} is to a guest in a VM, for the local back end: every {@code interval} it looks
 * for servers that should run (the control plane says so, and their power is on) whose guest agent is not
 * running, starts each again, and records why as the instance's fault. A server being built is left to its build,
 * which fails with the guest's exit status. Restarts of one guest back off (1 s, 2 s, 4 s ... up to
 * {@code maxBackOff}) while it keeps dying; a guest that stayed up for {@code maxBackOff} starts from 1 s again. A
 * guest powered off on purpose (power-off, delete, eject's fence, shutdown of the task manager) is never restarted:
 * {@link LocalComputeDriver} records its power first.
 */
public class GuestSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GuestSupervisor.class);

    private final InstanceRecords instances;
    private final LocalComputeDriver compute;
    private final GuestProcesses guests;
    private final Duration interval;
    private final Duration maxBackOff;
    private final Map<String, RestartBackOff> restarts = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public GuestSupervisor(InstanceRecords instances, LocalComputeDriver compute, GuestProcesses guests,
                           Duration interval, Duration maxBackOff) {
        this.instances = instances;
        this.compute = compute;
        this.guests = guests;
        this.interval = interval;
        this.maxBackOff = maxBackOff;
    }

    /** One look at every server; public for tests, which call it instead of waiting for the timer. */
    public void check() {
        List<String> shouldRun = instances.serverIdsToSupervise();
        Set<String> here = Set.copyOf(compute.serverIds());
        long now = System.nanoTime();
        for (String serverId : shouldRun) {
            if (!here.contains(serverId)) {
                continue;
            }
            RestartBackOff backOff = restarts.computeIfAbsent(serverId, k -> new RestartBackOff(maxBackOff));
            if (compute.isRunning(serverId)) {
                backOff.running(now);
                continue;
            }
            if (backOff.due(now)) {
                restart(serverId, backOff, now);
            }
        }
        restarts.keySet().retainAll(Set.copyOf(shouldRun));
    }

    private void restart(String serverId, RestartBackOff backOff, long now) {
        String why = guests.exitReason(serverId);
        String reason = why == null ? "the guest agent was not running" : why;
        String message;
        try {
            if (!compute.restartIfDown(serverId)) {
                return; // powered off meanwhile, started by someone else, or a power change is under way
            }
            message = "The guest agent stopped unexpectedly and was started again";
        } catch (RuntimeException e) {
            message = "The guest agent stopped unexpectedly and could not be started again: " + e.getMessage();
        }
        int count = backOff.started(now);
        log.warn("Instance {}: {} ({}; attempt {} in a row, the next no sooner than {} s)", serverId, message, reason,
                count, backOff.nextDelay().toSeconds());
        try {
            instances.recordFault(serverId, message,
                    "Server type: local supervisor\n" + reason + "; attempt " + count + " in a row");
        } catch (RuntimeException e) {
            log.warn("Could not record the restart of instance {}: {}", serverId, e.toString());
        }
    }

    /** The wait before the n-th restart in a row of one guest. */
    public Duration backOff(int count) {
        return new RestartBackOff(maxBackOff).delay(count);
    }

    @Override
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        if (interval.isZero() || interval.isNegative()) {
            log.info("Guest supervision is off (trovej.local.guest-supervision=0): a guest that dies stays down");
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "guest-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.warn("Guest supervision failed this time: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    /** After the servers are powered on at start; stopped before they are powered off. */
    @Override
    public int getPhase() {
        return LifecyclePhases.LOCAL_SERVERS + 1;
    }
}
