package org.trovej.service.rpc;

import com.rabbitmq.client.ShutdownSignalException;
import org.trovej.common.rpc.RpcPublishException;

/**
 * Which failures mean the message broker is away (stopped, restarting, unreachable) rather than anything about the
 * request: a message it did not confirm, a channel or connection it closed. The API answers
 * them with 503, as it does for the control-plane database away ({@code DatabaseUnavailable}).
 */
public final class BrokerUnavailable {

    private BrokerUnavailable() {
    }

    /** The broker failure in {@code e}'s cause chain, or null when there is none. */
    public static Throwable causeIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RpcPublishException || t instanceof ShutdownSignalException) {
                return t;
            }
        }
        return null;
    }
}
