package org.trovej.guestagent.os;

/** A datastore tool could not be run, or did not finish in time. */
public class CommandFailedException extends RuntimeException {

    public CommandFailedException(String message) {
        super(message);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
