package org.trovej.common.rpc;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ShutdownSignalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes with broker confirms: a publish completes only when the broker has taken the message. One
 * confirm-mode channel, used under a lock; confirms arrive asynchronously so many publishes can be in
 * flight. Publishes outstanding when the channel dies fail, and the next publish opens a new channel.
 */
public final class Publisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private final Connection connection;
    private Channel channel;
    private ConcurrentNavigableMap<Long, CompletableFuture<Void>> outstanding = new ConcurrentSkipListMap<>();

    Publisher(Connection connection) {
        this.connection = connection;
    }

    /** Kombu's properties for oslo messages: JSON, UTF-8, persistent, priority 0. */
    static AMQP.BasicProperties properties(Long expirationMillis) {
        AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .priority(0)
                .headers(Map.of());
        if (expirationMillis != null) {
            b.expiration(Long.toString(expirationMillis));
        }
        return b.build();
    }

    public synchronized CompletableFuture<Void> publishAsync(String exchange, String routingKey,
                                                             AMQP.BasicProperties props, byte[] body) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        try {
            Channel ch = channel();
            long seq = ch.getNextPublishSeqNo();
            outstanding.put(seq, confirmed);
            try {
                ch.basicPublish(exchange, routingKey, false, props, body);
            } catch (IOException | RuntimeException e) {
                outstanding.remove(seq);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            confirmed.completeExceptionally(new RpcPublishException("publish to " + exchange + "/" + routingKey
                    + " failed: " + e.getMessage(), e));
        }
        return confirmed;
    }

    /** Publishes and waits for the confirm, trying again (new channel) until {@code timeout} passes. */
    public void publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body,
                        Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            CompletableFuture<Void> confirm = publishAsync(exchange, routingKey, props, body);
            try {
                confirm.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                last = e.getCause() instanceof RuntimeException re ? re : new RpcPublishException("publish failed",
                        e.getCause());
                log.debug("publish to {}/{} not confirmed ({}); retrying", exchange, routingKey, last.getMessage());
                RpcTransport.sleep(200);
            } catch (TimeoutException e) {
                last = new RpcPublishException("no confirm from the broker within " + timeout);
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcPublishException("interrupted while waiting for a confirm", e);
            }
        }
        throw last != null ? last : new RpcPublishException("no confirm from the broker within " + timeout);
    }

    private Channel channel() throws IOException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        failOutstanding(new RpcPublishException("channel closed before the broker confirmed"));
        Channel ch = connection.createChannel();
        if (ch == null) {
            throw new IOException("no channel available");
        }
        ch.confirmSelect();
        ConcurrentNavigableMap<Long, CompletableFuture<Void>> mine = new ConcurrentSkipListMap<>();
        ch.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
                settle(mine, tag, multiple, null);
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
                settle(mine, tag, multiple, new RpcPublishException("broker refused the message (nack)"));
            }
        });
        ch.addShutdownListener((ShutdownSignalException cause) -> {
            RpcPublishException failure = new RpcPublishException("channel closed: " + cause.getMessage());
            mine.values().forEach(f -> f.completeExceptionally(failure));
            mine.clear();
        });
        // Recovery gives a recovered channel fresh sequence numbers: old confirms will never come.
        if (ch instanceof com.rabbitmq.client.Recoverable recoverable) {
            recoverable.addRecoveryListener(new com.rabbitmq.client.RecoveryListener() {
                @Override
                public void handleRecovery(com.rabbitmq.client.Recoverable r) {
                    RpcPublishException failure = new RpcPublishException("connection recovered before confirm");
                    mine.values().forEach(f -> f.completeExceptionally(failure));
                    mine.clear();
                }

                @Override
                public void handleRecoveryStarted(com.rabbitmq.client.Recoverable r) {
                }
            });
        }
        outstanding = mine;
        channel = ch;
        return ch;
    }

    private static void settle(ConcurrentNavigableMap<Long, CompletableFuture<Void>> map, long tag,
                               boolean multiple, RuntimeException failure) {
        if (multiple) {
            ConcurrentNavigableMap<Long, CompletableFuture<Void>> head = map.headMap(tag, true);
            head.values().forEach(f -> complete(f, failure));
            head.clear();
        } else {
            CompletableFuture<Void> f = map.remove(tag);
            if (f != null) {
                complete(f, failure);
            }
        }
    }

    private static void complete(CompletableFuture<Void> f, RuntimeException failure) {
        if (failure == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(failure);
        }
    }

    private void failOutstanding(RuntimeException failure) {
        outstanding.values().forEach(f -> f.completeExceptionally(failure));
        outstanding.clear();
    }

    @Override
    public synchronized void close() {
        failOutstanding(new RpcPublishException("publisher closed"));
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("closing publisher channel: {}", e.getMessage());
            }
        }
    }
}
