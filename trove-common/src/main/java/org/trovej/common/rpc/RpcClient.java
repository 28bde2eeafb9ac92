package org.trovej.common.rpc;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.json.PythonJson;

/**
 * Sends casts and calls the way an oslo.messaging RPCClient does. Calls share one {@code reply_<uuid>} queue
 * per client (on the default exchange, as oslo's are) and are matched to replies by {@code _msg_id}.
 */
public final class RpcClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcClient.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    /** oslo's rabbit_transient_queues_ttl: an abandoned reply queue goes away by itself. */
    private static final int REPLY_QUEUE_TTL_MILLIS = 1_800_000;

    private final RpcTransport transport;
    private final String replyQueue = "reply_" + OsloCodec.newId();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, RpcSerializer> pendingSerializers = new ConcurrentHashMap<>();
    private Channel replyChannel;

    public RpcClient(RpcTransport transport) {
        this.transport = transport;
    }

    /** A target: topic plus the version and serializer its messages are sent with. */
    public Target target(String topic, String version, RpcSerializer serializer) {
        return new Target(topic, version, serializer);
    }

    public final class Target {
        private final String topic;
        private final String version;
        private final RpcSerializer serializer;

        private Target(String topic, String version, RpcSerializer serializer) {
            this.topic = topic;
            this.version = version;
            this.serializer = serializer;
        }

        public String topic() {
            return topic;
        }

        /** Same target, another message version (oslo's client.prepare(version=...)). */
        public Target version(String otherVersion) {
            return new Target(topic, otherVersion, serializer);
        }

        /** Fire and forget; returns once the broker has confirmed the message. */
        public void cast(RpcContext context, String method, ObjectNode args) {
            byte[] body = OsloCodec.encodeRequest(method, args, version, context, serializer, null, null);
            transport.publisher().publish(transport.exchange(), topic, Publisher.properties(null), body,
                    PUBLISH_TIMEOUT);
        }

        /** A cast whose confirm is awaited by the caller; for bulk senders. */
        public CompletableFuture<Void> castAsync(RpcContext context, String method, ObjectNode args) {
            byte[] body = OsloCodec.encodeRequest(method, args, version, context, serializer, null, null);
            return transport.publisher().publishAsync(transport.exchange(), topic, Publisher.properties(null), body);
        }

        /**
         * Calls and waits for the reply, already through the serializer.
         *
         * @throws RemoteError          when the server replied with a failure
         * @throws RpcTimeoutException  when no reply came within {@code timeout}
         */
        public JsonNode call(RpcContext context, String method, ObjectNode args, Duration timeout) {
            CompletableFuture<JsonNode> reply = callAsync(context, method, args, timeout);
            try {
                return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new RpcTimeoutException("Timed out waiting for a reply to message " + method + " on topic "
                        + topic + " after " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcTimeoutException("interrupted while waiting for " + method);
            }
        }

        public CompletableFuture<JsonNode> callAsync(RpcContext context, String method, ObjectNode args,
                                                     Duration timeout) {
            ensureReplyConsumer();
            String msgId = OsloCodec.newId();
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            pending.put(msgId, reply);
            pendingSerializers.put(msgId, serializer);
            reply.whenComplete((r, t) -> {
                pending.remove(msgId);
                pendingSerializers.remove(msgId);
            });
            byte[] body = OsloCodec.encodeRequest(method, args, version, context, serializer, msgId, replyQueue);
            try {
                // Qpid reads 0-9-1 "expiration" as an absolute time and would discard the call at once.
                Long ttl = transport.isRabbitMq() ? timeout.toMillis() : null;
                transport.publisher().publish(transport.exchange(), topic, Publisher.properties(ttl),
                        body, PUBLISH_TIMEOUT.compareTo(timeout) < 0 ? PUBLISH_TIMEOUT : timeout);
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
            String what = method;
            return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(error -> {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof TimeoutException) {
                    return CompletableFuture.failedFuture(new RpcTimeoutException("Timed out waiting for a reply to "
                            + "message " + what + " on topic " + topic + " after " + timeout.toSeconds() + " s"));
                }
                return CompletableFuture.failedFuture(cause);
            });
        }
    }

    private synchronized void ensureReplyConsumer() {
        if (replyChannel != null) {
            return;
        }
        try {
            Channel ch = transport.newChannel();
            Map<String, Object> arguments = transport.isRabbitMq()
                    ? Map.of("x-expires", REPLY_QUEUE_TTL_MILLIS) : Map.of();
            ch.queueDeclare(replyQueue, false, false, false, arguments);
            ch.basicConsume(replyQueue, true, "trovej-" + replyQueue, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props,
                                           byte[] body) {
                    onReply(body);
                }
            });
            replyChannel = ch;
        } catch (IOException e) {
            throw new RpcPublishException("could not set up reply queue " + replyQueue, e);
        }
    }

    private void onReply(byte[] body) {
        OsloCodec.IncomingReply reply;
        try {
            reply = OsloCodec.decodeReply(body);
        } catch (RpcDecodeException e) {
            log.warn("dropping unreadable reply on {}: {}", replyQueue, e.getMessage());
            return;
        }
        if (!reply.ending()) {
            return; // call-monitor heartbeat; Trove never asks for them
        }
        CompletableFuture<JsonNode> waiting = pending.get(reply.msgId());
        RpcSerializer serializer = pendingSerializers.get(reply.msgId());
        if (waiting == null) {
            log.debug("reply for unknown or timed-out message {} dropped", reply.msgId());
            return;
        }
        if (reply.failure() != null) {
            waiting.completeExceptionally(OsloCodec.remoteError(reply.failure()));
            return;
        }
        try {
            JsonNode result = reply.result() == null ? PythonJson.nodes().nullNode() : reply.result();
            waiting.complete(serializer.deserializeEntity(RpcContext.empty(), result));
        } catch (RuntimeException e) {
            waiting.completeExceptionally(e);
        }
    }

    public String replyQueue() {
        return replyQueue;
    }

    @Override
    public synchronized void close() {
        pending.values().forEach(f -> f.completeExceptionally(new RpcPublishException("client closed")));
        if (replyChannel != null && replyChannel.isOpen()) {
            try {
                replyChannel.queueDelete(replyQueue);
                replyChannel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("closing reply channel: {}", e.getMessage());
            }
        }
        replyChannel = null;
    }
}
