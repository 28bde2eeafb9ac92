package org.trovej.taskmanager.local;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.NullNode;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;

/**
 * Stands in for an instance's guest agent on the broker: takes the {@code create_backup} casts sent to it (decrypted
 * with the instance's key, as the guest would) and keeps them for the test to look at. It does nothing else, so the
 * test plays the guest's reports through the database.
 */
final class BackupCastRecorder implements AutoCloseable {

    /** One cast as the guest received it. */
    record Cast(RpcContext context, RpcArgs args) {
    }

    private final BlockingQueue<Cast> casts = new LinkedBlockingQueue<>();
    private final RpcServer server;

    BackupCastRecorder(RpcTransport transport, String instanceId, String key) {
        RpcEndpoint endpoint = RpcEndpoint.builder("1.3")
                .async("create_backup", (context, args) -> {
                    casts.add(new Cast(context, args));
                    return CompletableFuture.completedFuture(NullNode.getInstance());
                })
                .build();
        server = new RpcServer(transport, Topics.guest(instanceId), instanceId, new SecureSerializer(key), endpoint,
                RpcServer.Options.defaults()).start();
    }

    /** The next cast, or null if none comes within {@code timeout}. */
    Cast next(Duration timeout) throws InterruptedException {
        return casts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.close();
    }
}
