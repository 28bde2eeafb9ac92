package org.trovej.conductor;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.trovej.common.rpc.ConductorHostSerializer;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.service.TroveProperties;
import org.trovej.service.db.DatabaseUnavailable;
import org.trovej.service.keys.InstanceKeyStore;

/** Consumes the conductor topic while the application runs. */
@Component
@EnableConfigurationProperties(ConductorProperties.class)
public class ConductorServer implements SmartLifecycle {

    private final RpcTransport transport;
    private final TroveProperties.Rpc rpc;
    private final ConductorProperties settings;
    private final ConductorEndpoint endpoint;
    private final InstanceKeyStore keys;
    private volatile RpcServer server;

    public ConductorServer(RpcTransport transport, TroveProperties properties, ConductorProperties settings,
                           ConductorEndpoint endpoint, InstanceKeyStore keys) {
        this.transport = transport;
        this.rpc = properties.rpc();
        this.settings = settings;
        this.endpoint = endpoint;
        this.keys = keys;
    }

    @Override
    public boolean isAutoStartup() {
        return settings.autoStartup();
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        server = new RpcServer(transport, rpc.conductorQueue(), rpc.host(), new ConductorHostSerializer(keys::keyOf),
                endpoint.build(), new RpcServer.Options(settings.prefetch(), settings.workers())
                        .retryingLater(failure -> DatabaseUnavailable.causeIn(failure) != null)).start();
    }

    @Override
    public synchronized void stop() {
        RpcServer current = server;
        if (current != null) {
            current.close();
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Stop consuming before the heartbeat writer (phase 0) stops, so nothing is taken that cannot be written. */
    @Override
    public int getPhase() {
        return 100;
    }

    public RpcServer server() {
        return server;
    }
}
