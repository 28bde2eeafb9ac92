package org.trovej.common.objectstore;

/**
 * A Swift request that failed: the HTTP status (0 when no answer came: connection refused, timeout, an I/O error
 * while streaming) and the server's message. One type for every failure so callers catch one thing and tell a
 * missing object ({@link #notFound()}) from the rest. Never carries the token.
 */
public class SwiftException extends RuntimeException {

    private final int status;

    public SwiftException(int status, String message) {
        super(message);
        this.status = status;
    }

    public SwiftException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, 0 when the server gave none. */
    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }
}
