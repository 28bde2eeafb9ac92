package org.trovej.common.rpc;

/** The broker did not confirm a message (nack, connection lost before the confirm, or no confirm in time). */
public class RpcPublishException extends RuntimeException {

    public RpcPublishException(String message) {
        super(message);
    }

    public RpcPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
