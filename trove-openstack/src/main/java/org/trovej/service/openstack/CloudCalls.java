package org.trovej.service.openstack;

import java.time.Duration;
import java.util.function.Function;

import org.openstack4j.api.OSClient;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.model.common.ActionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every cloud call goes through here: a client from the shared session, retries on what is transient (no
 * answer, 5xx, 401 after the token was revoked), and openstack4j's failures turned into a {@link CloudException}
 * that carries the cloud's reason.
 */
public class CloudCalls {

    private static final Logger log = LoggerFactory.getLogger(CloudCalls.class);

    private final OpenStackSession session;
    private final int attempts;
    private final Duration backoff;

    public CloudCalls(OpenStackSession session, OpenStackProperties properties) {
        this(session, properties.retries(), Duration.ofSeconds(1));
    }

    public CloudCalls(OpenStackSession session, int attempts, Duration backoff) {
        this.session = session;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    public OpenStackSession session() {
        return session;
    }

    /**
     * Runs {@code call} with retries.
     *
     * @param what what is being done, for the error message ("create volume trove-…")
     */
    public <T> T call(String what, Function<OSClient.OSClientV3, T> call) {
        CloudException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return call.apply(session.client());
            } catch (ConnectionException e) {
                last = new CloudException(what + ": the cloud did not answer (" + e.getMessage() + ")", 0, e);
            } catch (ResponseException e) {
                CloudException failure = new CloudException(what + ": " + reason(e.getMessage(), e.getStatus()),
                        e.getStatus(), e);
                if (e.getStatus() == 401) {
                    session.invalidate();
                } else if (e.getStatus() < 500) {
                    throw failure;
                }
                last = failure;
            } catch (CloudException e) {
                if (e.status() != 0) {
                    throw e; // Keystone refused the service user: trying again changes nothing
                }
                last = new CloudException(what + ": " + e.getMessage(), 0, e); // Keystone did not answer
            }
            if (attempt < attempts) {
                log.info("{} failed (attempt {} of {}), retrying: {}", what, attempt, attempts, last.getMessage());
                sleep(backoff.multipliedBy(attempt));
            }
        }
        throw last;
    }

    /** For openstack4j's calls that answer an {@link ActionResponse} instead of throwing. */
    public void action(String what, Function<OSClient.OSClientV3, ActionResponse> call) {
        call(what, client -> {
            ActionResponse response = call.apply(client);
            if (response != null && !response.isSuccess()) {
                throw ResponseException.mapException(response.getFault(), response.getCode());
            }
            return null;
        });
    }

    /** Like {@link #action} for a delete: a 404 means it is gone already, which is what was wanted. */
    public void delete(String what, Function<OSClient.OSClientV3, ActionResponse> call) {
        try {
            action(what, call);
        } catch (CloudException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    private static String reason(String message, int status) {
        String text = message == null || message.isBlank() ? "no reason given" : message.strip();
        return text + " (HTTP " + status + ")";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException("interrupted while waiting to retry");
        }
    }
}
