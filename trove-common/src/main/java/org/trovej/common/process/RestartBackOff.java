package org.trovej.common.process;

import java.time.Duration;

/**
 * When a process that keeps dying may be started again, as systemd's {@code Restart=} with a growing delay: the
 * n-th start in a row waits 1, 2, 4 ... seconds after the previous one, at most {@code max}; a run that lasted
 * longer than {@code max} since its start counts as recovered and the next death starts again at 1 s. Used for the
 * local back end's guest agents (task manager) and for a guest's database (guest agent). Times are
 * {@link System#nanoTime()} values, passed in so that tests need not sleep.
 */
public final class RestartBackOff {

    private final Duration max;
    private int attempts;
    private long lastStartNanos;
    private long notBeforeNanos;

    public RestartBackOff(Duration max) {
        if (max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("the longest back-off must be positive");
        }
        this.max = max;
    }

    /** Whether a start may happen at {@code now}. */
    public synchronized boolean due(long now) {
        return attempts == 0 || now - notBeforeNanos >= 0;
    }

    /** Records a start at {@code now}: its number in a row (1 for the first since the process last ran well). */
    public synchronized int started(long now) {
        attempts++;
        lastStartNanos = now;
        notBeforeNanos = now + delay(attempts).toNanos();
        return attempts;
    }

    /** The process was seen running at {@code now}: once it has run for {@code max}, the count starts afresh. */
    public synchronized void running(long now) {
        if (attempts > 0 && now - lastStartNanos > max.toNanos()) {
            attempts = 0;
        }
    }

    /** The wait after the current start, before the next may happen. */
    public synchronized Duration nextDelay() {
        return delay(Math.max(attempts, 1));
    }

    /** 1 s, 2 s, 4 s ... for the n-th start in a row, at most {@code max}. */
    public Duration delay(int attempt) {
        long seconds = 1L << Math.min(Math.max(attempt, 1) - 1, 30);
        return seconds >= max.toSeconds() ? max : Duration.ofSeconds(seconds);
    }
}
