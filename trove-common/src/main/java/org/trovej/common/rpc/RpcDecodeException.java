package org.trovej.common.rpc;

/** A message that cannot be read: not JSON, not an oslo envelope, or an argument that does not decrypt. */
public class RpcDecodeException extends RuntimeException {

    public RpcDecodeException(String message) {
        super(message);
    }

    public RpcDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
