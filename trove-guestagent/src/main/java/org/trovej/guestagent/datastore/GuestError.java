package org.trovej.guestagent.datastore;

import org.trovej.common.rpc.RpcFailure;

/**
 * An operation on the datastore failed, reported to a caller as Trove's guest reports one
 * ({@code trove.common.exception.GuestError}), with the reason (a tool's stderr, the server's log) in the
 * message so the control plane's fault says what went wrong.
 */
public class GuestError extends RpcFailure {

    public GuestError(String message) {
        super("trove.common.exception", "GuestError", message);
    }

    public GuestError(String message, Throwable cause) {
        this(message);
        initCause(cause);
    }

    /** A failure of a more specific kind of {@code trove.common.exception}, for the control plane to map. */
    protected GuestError(String className, String message, Throwable cause) {
        super("trove.common.exception", className, message);
        if (cause != null) {
            initCause(cause);
        }
    }
}
