package org.trovej.common.rpc;

/** No reply to a call within its timeout (oslo's MessagingTimeout; Trove turns it into GuestTimeout). */
public class RpcTimeoutException extends RuntimeException {

    public RpcTimeoutException(String message) {
        super(message);
    }
}
