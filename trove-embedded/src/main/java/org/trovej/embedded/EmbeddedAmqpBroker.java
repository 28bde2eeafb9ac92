package org.trovej.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.model.SystemConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process AMQP 0-9-1 broker (Apache Qpid Broker-J, memory store) for the embedded default and for
 * machines without RabbitMQ. Messages do not survive a restart of the broker, which is what a broker
 * restart test wants and what the embedded default accepts (the control plane's state is in PostgreSQL).
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedAmqpBroker.class);

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path workDir;
    private SystemLauncher launcher;

    public EmbeddedAmqpBroker(String host, int port, String user, String password, Path workDir) {
        this.host = host;
        this.port = port == 0 ? freePort() : port;
        this.user = user;
        this.password = password;
        this.workDir = workDir;
    }

    /** A broker on 127.0.0.1 on a free port with guest/guest, working in a temporary directory. */
    public static EmbeddedAmqpBroker onFreePort() {
        try {
            return new EmbeddedAmqpBroker("127.0.0.1", 0, "guest", "guest",
                    Files.createTempDirectory("trovej-qpid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized EmbeddedAmqpBroker start() {
        if (launcher != null) {
            return this;
        }
        URL config = EmbeddedAmqpBroker.class.getResource("qpid-config.json");
        Map<String, Object> context = new HashMap<>();
        context.put("qpid.amqp_port", String.valueOf(port));
        context.put("qpid.work_dir", workDir.toString());
        context.put("trovej.amqp_host", host);
        context.put("trovej.amqp_user", user);
        context.put("trovej.amqp_password", password);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(SystemConfig.TYPE, "Memory");
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, config.toExternalForm());
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, false);
        attributes.put(SystemConfig.CONTEXT, context);
        SystemLauncher started = new SystemLauncher();
        try {
            started.startup(attributes);
        } catch (Exception e) {
            throw new IllegalStateException("embedded AMQP broker failed to start on " + host + ":" + port, e);
        }
        launcher = started;
        log.info("Embedded AMQP 0-9-1 broker listening on {}:{}", host, port);
        return this;
    }

    public synchronized void stop() {
        if (launcher != null) {
            launcher.shutdown();
            launcher = null;
            log.info("Embedded AMQP broker on {}:{} stopped", host, port);
        }
    }

    public synchronized boolean isRunning() {
        return launcher != null;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String uri() {
        return "amqp://" + user + ":" + password + "@" + host + ":" + port + "/";
    }

    @Override
    public void close() {
        stop();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
