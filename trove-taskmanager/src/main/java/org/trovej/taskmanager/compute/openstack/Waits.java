package org.trovej.taskmanager.compute.openstack;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.trovej.service.openstack.CloudException;

/** Polls the cloud until something is so, or fails with what it was waiting for and what it saw last. */
public final class Waits {

    private final Duration poll;

    public Waits(Duration poll) {
        this.poll = poll;
    }

    /**
     * @param check answers null while waiting, a value when done; throws to stop waiting with a failure
     * @param last  what was seen last, for the timeout message
     */
    <T> T until(String what, Duration timeout, Supplier<T> check, Supplier<String> last) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T value = check.get();
            if (value != null) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new CloudException("Timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + " (last seen: " + last.get() + ")");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException("interrupted while waiting for " + what);
            }
        }
    }
}
