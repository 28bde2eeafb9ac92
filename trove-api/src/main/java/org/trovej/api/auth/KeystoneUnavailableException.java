package org.trovej.api.auth;

/** Keystone could not be asked (down, timing out, erring, or refusing TroveJ's own credentials): a 503. */
public class KeystoneUnavailableException extends RuntimeException {

    public KeystoneUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public KeystoneUnavailableException(String message) {
        super(message);
    }
}
