package org.trovej.common.rpc;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.crypto.CryptoException;
import org.trovej.common.json.PythonJson;

/**
 * An oslo.messaging-compatible RPC server on {@code topic} (and {@code topic.server}). Messages are taken with
 * manual acknowledgement and acknowledged only once their method has completed (or the message was
 * deliberately dropped), so a crash or a lost connection redelivers them. Calls get oslo replies, including
 * oslo's failures for an unknown method, an unsupported version or an argument that cannot be read; casts
 * that fail are logged and dropped, never left to kill the consumer.
 */
public final class RpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);
    private static final int DEDUP_WINDOW = 16_384;
    private static final long RETRY_DELAY_MILLIS = 500;

    /**
     * prefetch: messages in flight per server; workers: threads running methods; retryLater: failures of a cast
     * that put it back on the queue instead of dropping it (a service's database away, say), as
     * {@link RpcRetryLater} does.
     */
    public record Options(int prefetch, int workers, java.util.function.Predicate<Throwable> retryLater) {
        public Options(int prefetch, int workers) {
            this(prefetch, workers, failure -> false);
        }

        public static Options defaults() {
            return new Options(64, 8);
        }

        public Options retryingLater(java.util.function.Predicate<Throwable> when) {
            return new Options(prefetch, workers, when);
        }
    }

    private final RpcTransport transport;
    private final String topic;
    private final String server;
    private final RpcSerializer serializer;
    private final RpcEndpoint endpoint;
    private final Options options;
    private final ExecutorService workers;
    private final java.util.concurrent.ScheduledExecutorService retries =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(RpcTransport.named("rpc-retry"));
    private final Map<String, Boolean> recentIds = new LinkedHashMap<>(DEDUP_WINDOW, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > DEDUP_WINDOW;
        }
    };
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final java.util.List<String> consumerTags = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Channel channel;

    public RpcServer(RpcTransport transport, String topic, String server, RpcSerializer serializer,
                     RpcEndpoint endpoint, Options options) {
        this.transport = transport;
        this.topic = topic;
        this.server = server;
        this.serializer = serializer;
        this.endpoint = endpoint;
        this.options = options;
        this.workers = new ThreadPoolExecutor(options.workers(), options.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), RpcTransport.named("rpc-" + topic));
    }

    public synchronized RpcServer start() {
        if (channel != null) {
            return this;
        }
        try {
            Channel ch = transport.newChannel();
            ch.basicQos(options.prefetch());
            transport.declareTopicQueues(ch, topic, server);
            consume(ch, topic);
            if (server != null) {
                consume(ch, topic + "." + server);
            }
            channel = ch;
            log.info("RPC server consuming '{}' (endpoint version {})", topic, endpoint.version());
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("could not start RPC server on " + topic, e);
        }
    }

    private void consume(Channel ch, String queue) throws IOException {
        consumerTags.add(ch.basicConsume(queue, false, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props,
                                       byte[] body) {
                receive(ch, envelope.getDeliveryTag(), body);
            }
        }));
    }

    /** Messages whose method completed (successfully or not). */
    public long handledCount() {
        return handled.get();
    }

    /** Messages dropped before dispatch: unreadable, duplicate. */
    public long droppedCount() {
        return dropped.get();
    }

    public String topic() {
        return topic;
    }

    private void receive(Channel ch, long tag, byte[] body) {
        OsloCodec.IncomingRequest request;
        try {
            request = OsloCodec.decodeRequest(body);
        } catch (RpcDecodeException e) {
            log.error("Dropping unreadable message on topic {}: {}", topic, e.getMessage());
            dropped.incrementAndGet();
            ack(ch, tag);
            return;
        }
        if (isDuplicate(request.uniqueId())) {
            log.info("Dropping duplicate message {} on topic {}", request.uniqueId(), topic);
            dropped.incrementAndGet();
            ack(ch, tag);
            return;
        }
        workers.execute(() -> dispatch(ch, tag, request));
    }

    private boolean isDuplicate(String uniqueId) {
        if (uniqueId == null) {
            return false;
        }
        synchronized (recentIds) {
            return recentIds.put(uniqueId, Boolean.TRUE) != null;
        }
    }

    private void forget(String uniqueId) {
        if (uniqueId != null) {
            synchronized (recentIds) {
                recentIds.remove(uniqueId);
            }
        }
    }

    private static void requeue(Channel ch, long tag) {
        try {
            if (ch.isOpen()) {
                ch.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("nack of {} not sent: {}", tag, e.getMessage());
        }
    }

    private void dispatch(Channel ch, long tag, OsloCodec.IncomingRequest request) {
        CompletionStage<JsonNode> outcome;
        RpcContext context = RpcContext.empty();
        try {
            context = serializer.deserializeContext(request.wireContext());
            outcome = invoke(context, request);
        } catch (Exception e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        RpcContext ctx = context;
        outcome.whenComplete((result, error) -> {
            Throwable cause = unwrap(error);
            if (cause instanceof RpcRetryLater || cause != null && !request.isCall() && options.retryLater().test(cause)) {
                log.warn("{} (request {}) will be retried: {}", request.method(), ctx.requestId(), cause.getMessage());
                forget(request.uniqueId());
                retries.schedule(() -> requeue(ch, tag), RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            try {
                finish(ctx, request, result, error);
            } finally {
                handled.incrementAndGet();
                ack(ch, tag);
            }
        });
    }

    private CompletionStage<JsonNode> invoke(RpcContext context, OsloCodec.IncomingRequest request) throws Exception {
        // oslo's dispatcher: a message without a version is 1.0; one with a namespace matches no endpoint of ours
        String version = request.version() == null ? "1.0" : request.version();
        if (request.namespace() != null || !endpoint.accepts(version)) {
            throw RpcFailure.unsupportedVersion(version, request.method());
        }
        RpcMethod method = request.method().startsWith("_") ? null : endpoint.method(request.method());
        if (method == null) {
            throw RpcFailure.noSuchMethod(request.method());
        }
        ObjectNode args = PythonJson.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = request.wireArgs().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> arg = it.next();
            args.set(arg.getKey(), serializer.deserializeEntity(context, arg.getValue()));
        }
        CompletionStage<JsonNode> stage = method.invoke(context, new RpcArgs(request.method(), args));
        return stage == null ? CompletableFuture.completedFuture(NullNode.getInstance()) : stage;
    }

    private void finish(RpcContext context, OsloCodec.IncomingRequest request, JsonNode result, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause != null) {
            RpcFailure failure = asFailure(cause);
            if (request.isCall()) {
                log.warn("{} (call, request {}) failed: {}: {}", request.method(), context.requestId(),
                        failure.className(), failure.getMessage());
            } else {
                log.error("{} (cast, request {}) failed and is dropped: {}: {}", request.method(),
                        context.requestId(), failure.className(), failure.getMessage(), cause);
            }
            if (request.isCall()) {
                reply(request, OsloCodec.encodeReply(request.msgId(), null, failure, cause));
            }
            return;
        }
        if (request.isCall()) {
            JsonNode wireResult;
            try {
                wireResult = serializer.serializeEntity(context, result == null ? NullNode.getInstance() : result);
            } catch (RuntimeException e) {
                reply(request, OsloCodec.encodeReply(request.msgId(), null, asFailure(e), e));
                return;
            }
            reply(request, OsloCodec.encodeReply(request.msgId(), wireResult, null, null));
        }
    }

    private void reply(OsloCodec.IncomingRequest request, byte[] body) {
        if (request.replyQ() == null) {
            log.warn("call {} has no reply queue; reply dropped", request.msgId());
            return;
        }
        try {
            transport.publisher().publish("", request.replyQ(), Publisher.properties(null), body,
                    java.time.Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            log.warn("reply to {} could not be sent: {}", request.replyQ(), e.getMessage());
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) {
            if (t.getCause() == null) {
                break;
            }
            t = t.getCause();
        }
        return t;
    }

    static RpcFailure asFailure(Throwable cause) {
        if (cause instanceof RpcFailure failure) {
            return failure;
        }
        if (cause instanceof RpcDecodeException || cause instanceof CryptoException) {
            return new RpcFailure("builtins", "ValueError", "Could not read the message: " + cause.getMessage());
        }
        return new RpcFailure("trovej", cause.getClass().getSimpleName(),
                cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage());
    }

    private static void ack(Channel ch, long tag) {
        try {
            if (ch.isOpen()) {
                ch.basicAck(tag, false);
            }
        } catch (IOException | RuntimeException e) {
            // The channel went away: the broker redelivers the message to the recovered consumer.
            log.debug("ack of {} not sent: {}", tag, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (channel == null) {
            workers.shutdown();
            retries.shutdown();
            return;
        }
        // Stop taking messages, let the ones in hand finish and be acked, then close; whatever is still
        // unacked after that goes back to the queue for the next consumer.
        for (String tag : consumerTags) {
            try {
                if (channel.isOpen()) {
                    channel.basicCancel(tag);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("cancelling consumer {}: {}", tag, e.getMessage());
            }
        }
        consumerTags.clear();
        retries.shutdown();
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("closing RPC server channel: {}", e.getMessage());
        }
        channel = null;
    }
}
