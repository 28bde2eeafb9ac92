package org.trovej.common.rpc;

/**
 * Thrown (or completed exceptionally with) by a method that could not do its work for a passing reason, such
 * as the database being unreachable: the server returns the message to the queue instead of dropping it.
 */
public class RpcRetryLater extends RuntimeException {

    public RpcRetryLater(String message, Throwable cause) {
        super(message, cause);
    }
}
