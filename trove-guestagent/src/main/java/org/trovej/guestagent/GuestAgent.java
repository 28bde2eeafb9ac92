package org.trovej.guestagent;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcSerializer;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.guestagent.conductor.ConductorClient;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.ManagerRegistry;
import org.trovej.guestagent.rpc.GuestEndpoint;
import org.trovej.guestagent.status.StatusReporter;

/**
 * One guest agent: the RPC server on {@code guestagent.<guest_id>}, the heartbeat, and the datastore manager
 * they drive. Startable and stoppable in-process (tests run several side by side); {@link GuestAgentMain}
 * is the command-line wrapper. Stopping the agent never stops the database: an agent restart must not take
 * the database down.
 */
public final class GuestAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GuestAgent.class);
    /** How often the cheap "is the server process still there" check runs between full probes. */
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);
    /**
     * Few workers: lifecycle operations run one at a time anyway, but {@code rpc_ping} and
     * {@code get_filesystem_stats} must still be answered while a prepare or restart is under way.
     */
    private static final RpcServer.Options SERVER_OPTIONS = new RpcServer.Options(8, 3);

    private final GuestConfig config;
    private final DatastoreManager<?, ?, ?> manager;
    private RpcTransport transport;
    private RpcClient client;
    private StatusReporter status;
    private RpcServer server;

    /** Validates the configuration and picks the manager; fails before anything connects. */
    public GuestAgent(GuestConfig config) {
        this.config = config.validate();
        this.manager = ManagerRegistry.create(config);
    }

    public DatastoreManager<?, ?, ?> manager() {
        return manager;
    }

    public GuestConfig config() {
        return config;
    }

    /**
     * Connects (retrying for up to {@code brokerWait}: a VM may boot before the broker is reachable), starts
     * serving and heartbeating, then, in the background, brings a prepared database back if it is down.
     */
    public synchronized GuestAgent start(Duration brokerWait) {
        if (server != null) {
            return this;
        }
        String guestId = config.guestId();
        String key = config.rpcKey();
        transport = RpcTransport.connect(config.amqpUri(), config.controlExchange(), "trove-guestagent " + guestId,
                brokerWait, 2);
        client = new RpcClient(transport);
        ConductorClient conductor = new ConductorClient(client, config.conductorQueue(), guestId, config.tenantId(),
                key);
        Duration watch = config.reportInterval().compareTo(WATCH_INTERVAL) < 0 ? config.reportInterval() : WATCH_INTERVAL;
        status = new StatusReporter(conductor, config.reportInterval(), watch);
        manager.attach(conductor, status);
        // before any message is taken: a create_backup redelivered after a crash must find its backup failed
        manager.failInterruptedBackups();
        RpcSerializer serializer = key == null ? RpcSerializer.plain() : new SecureSerializer(key);
        server = new RpcServer(transport, Topics.guest(guestId), guestId, serializer, GuestEndpoint.build(manager),
                SERVER_OPTIONS).start();
        status.start(manager);
        Thread recovery = new Thread(this::recover, "guest-recovery");
        recovery.setDaemon(true);
        recovery.start();
        log.info("Guest agent {} serving {} ({}{}, RPC encryption {}, heartbeat every {} s)", guestId,
                Topics.guest(guestId), manager.name(),
                config.datastoreVersion() == null ? "" : " " + config.datastoreVersion(),
                key == null ? "off" : "on", config.reportInterval().toSeconds());
        return this;
    }

    private void recover() {
        try {
            manager.onAgentStart();
        } catch (RuntimeException e) {
            log.error("Start-up check of the datastore failed: {}", e.getMessage());
        }
    }

    /**
     * Stops consuming and heartbeating and disconnects; leaves the database as it is unless the configuration
     * says the agent's exit is the server's power-off.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        boolean powerOff = config.stopDatastoreOnExit();
        log.info("Guest agent {} stopping ({})", config.guestId(),
                powerOff ? "powering off: the database stops too" : "the database keeps running");
        server.close();
        status.close();
        manager.detach();
        if (powerOff) {
            try {
                manager.powerOff();
            } catch (RuntimeException e) {
                log.error("Stopping the database at power-off failed: {}", e.getMessage());
            }
        }
        client.close();
        transport.close();
        server = null;
    }

    /** Stops like {@link #stop()} and deletes the agent's queues: for a throwaway agent whose id never returns. */
    public synchronized void stopAndDeleteQueues() {
        if (server == null) {
            return;
        }
        server.close();
        String topic = Topics.guest(config.guestId());
        for (String queue : new String[] {topic, topic + "." + config.guestId()}) {
            try (com.rabbitmq.client.Channel channel = transport.newChannel()) {
                channel.queueDelete(queue);
            } catch (java.io.IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                log.debug("queue {} not deleted: {}", queue, e.getMessage());
            }
        }
        stop();
    }

    @Override
    public void close() {
        stop();
    }
}
