package org.trovej.service.openstack;

/**
 * The cloud refused or failed a call. The message is the cloud's own reason (Nova's fault, Cinder's quota
 * message), prefixed with what TroveJ was doing, so an instance's fault tells the user why.
 *
 * @see CloudCalls
 */
public class CloudException extends RuntimeException {

    private final int status;

    public CloudException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public CloudException(String message) {
        this(message, 0, null);
    }

    /** The HTTP status the cloud answered, 0 when it did not answer (or the failure was not an HTTP one). */
    public int status() {
        return status;
    }
}
