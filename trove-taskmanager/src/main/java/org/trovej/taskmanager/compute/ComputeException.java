package org.trovej.taskmanager.compute;

/** The back end could not do what was asked; the message says why in words a user can act on. */
public class ComputeException extends RuntimeException {

    public ComputeException(String message) {
        super(message);
    }

    public ComputeException(String message, Throwable cause) {
        super(message, cause);
    }
}
