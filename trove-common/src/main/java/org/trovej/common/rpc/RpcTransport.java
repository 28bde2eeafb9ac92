package org.trovej.common.rpc;

import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection to the broker and the control exchange, declared exactly as oslo.messaging declares
 * it (topic, not durable, not auto-delete) so Trove's own services can share it. The connection recovers by
 * itself after a broker restart and re-declares the queues, bindings and consumers made on it.
 */
public final class RpcTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcTransport.class);

    private final String exchange;
    private final Connection connection;
    private final Publisher publisher;
    private final ExecutorService consumerPool;
    private final boolean rabbitMq;

    private RpcTransport(String exchange, Connection connection, ExecutorService consumerPool) throws IOException {
        this.exchange = exchange;
        this.connection = connection;
        this.consumerPool = consumerPool;
        this.rabbitMq = detectRabbitMq(connection);
        try (Channel channel = connection.createChannel()) {
            declareExchange(channel);
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
        this.publisher = new Publisher(connection);
    }

    /**
     * Connects, retrying until {@code connectTimeout} passes (a service may start before its broker).
     *
     * @param amqpUri  amqp://user:password@host:port/vhost
     * @param exchange the control exchange (Trove's {@code control_exchange}, usually {@code trove})
     */
    public static RpcTransport connect(String amqpUri, String exchange, String connectionName,
                                       Duration connectTimeout) {
        return connect(amqpUri, exchange, connectionName, connectTimeout,
                Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
    }

    /** As above with a given number of threads delivering to consumers (a guest agent needs very few). */
    public static RpcTransport connect(String amqpUri, String exchange, String connectionName,
                                       Duration connectTimeout, int consumerThreads) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(amqpUri);
        } catch (URISyntaxException | GeneralSecurityException e) {
            throw new IllegalArgumentException("bad AMQP URI (credentials not shown)", e);
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setTopologyRecoveryFilter(new LiveChannelsOnly());
        factory.setNetworkRecoveryInterval(1000);
        factory.setRequestedHeartbeat(30);
        factory.setConnectionTimeout(5000);
        ExecutorService pool = Executors.newFixedThreadPool(consumerThreads, named("amqp-consumer"));
        factory.setSharedExecutor(pool);
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        while (true) {
            try {
                Connection connection = factory.newConnection(connectionName);
                log.info("Connected to AMQP broker {}:{} (exchange '{}')", factory.getHost(), factory.getPort(),
                        exchange);
                return new RpcTransport(exchange, connection, pool);
            } catch (IOException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    pool.shutdownNow();
                    throw new IllegalStateException("cannot reach the AMQP broker at " + factory.getHost() + ":"
                            + factory.getPort() + ": " + e.getMessage(), e);
                }
                log.warn("AMQP broker {}:{} not reachable yet ({}); retrying", factory.getHost(), factory.getPort(),
                        e.getMessage());
                sleep(1000);
            }
        }
    }

    public String exchange() {
        return exchange;
    }

    public Publisher publisher() {
        return publisher;
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Whether the broker is RabbitMQ. Others (the embedded Qpid) refuse RabbitMQ-only queue arguments such as
     * {@code x-expires} by closing the whole connection, so such arguments are only sent to RabbitMQ.
     */
    public boolean isRabbitMq() {
        return rabbitMq;
    }

    private static boolean detectRabbitMq(Connection connection) {
        Object product = connection.getServerProperties().get("product");
        return product != null && product.toString().contains("RabbitMQ");
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    public Channel newChannel() throws IOException {
        Channel channel = connection.createChannel();
        if (channel == null) {
            throw new IOException("no channel available on the AMQP connection");
        }
        return channel;
    }

    void declareExchange(Channel channel) throws IOException {
        channel.exchangeDeclare(exchange, "topic", false, false, Map.of());
    }

    /**
     * Declares the queue of {@code topic} (and of {@code topic.server} when a server name is given) bound to the
     * control exchange, with oslo's flags. Used by servers, and by the task manager to pre-declare a guest's
     * queue so that a cast sent before the guest is up waits there instead of being dropped.
     */
    public void declareTopicQueues(Channel channel, String topic, String server) throws IOException {
        declareExchange(channel);
        declareQueues(channel, topic, server);
    }

    private void declareQueues(Channel channel, String topic, String server) throws IOException {
        channel.queueDeclare(topic, false, false, false, Map.of());
        channel.queueBind(topic, exchange, topic);
        if (server != null) {
            String serverQueue = topic + "." + server;
            channel.queueDeclare(serverQueue, false, false, false, Map.of());
            channel.queueBind(serverQueue, exchange, serverQueue);
        }
    }

    /**
     * Pre-declares a topic's queues on a short-lived channel. Not the exchange: the client records each entity with
     * the channel that declared it last, and recovers it on that channel after the broker restarts; a record on
     * this closed channel would leave the exchange undeclared and every consumer's binding to it refused.
     */
    public void predeclare(String topic, String server) {
        try (Channel channel = newChannel()) {
            declareQueues(channel, topic, server);
        } catch (IOException | TimeoutException e) {
            throw new RpcPublishException("could not declare queue " + topic, e);
        }
    }

    @Override
    public void close() {
        publisher.close();
        try {
            if (connection.isOpen()) {
                connection.close(5000);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("closing AMQP connection: {}", e.getMessage());
        } finally {
            consumerPool.shutdown();
        }
    }

    /**
     * After the broker restarts, the client re-declares what was declared on channels that are open again: the
     * consumers' queues, bindings and the exchange. Entities declared on a channel closed since (a guest's queue
     * pre-declared for it, which the guest declares itself) are left out instead of failing, with an ERROR each,
     * on that closed channel.
     */
    static final class LiveChannelsOnly implements com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter {
        @Override
        public boolean filterExchange(com.rabbitmq.client.impl.recovery.RecordedExchange exchange) {
            return exchange.getChannel().isOpen();
        }

        @Override
        public boolean filterQueue(com.rabbitmq.client.impl.recovery.RecordedQueue queue) {
            return queue.getChannel().isOpen();
        }

        @Override
        public boolean filterBinding(com.rabbitmq.client.impl.recovery.RecordedBinding binding) {
            return binding.getChannel().isOpen();
        }

        @Override
        public boolean filterConsumer(com.rabbitmq.client.impl.recovery.RecordedConsumer consumer) {
            return consumer.getChannel().isOpen();
        }
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
