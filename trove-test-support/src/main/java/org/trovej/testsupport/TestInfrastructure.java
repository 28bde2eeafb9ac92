package org.trovej.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one switch for test infrastructure. {@code TROVEJ_TEST_INFRA} (or system property
 * {@code trovej.test.infra}) = {@code auto} (default) | {@code docker} | {@code local} | {@code embedded}.
 * <ul>
 *   <li>auto: Testcontainers when a Docker engine answers, else the local PostgreSQL (127.0.0.1:5432) and
 *   RabbitMQ (127.0.0.1:5672) when both accept connections, else embedded PostgreSQL + Qpid.</li>
 * </ul>
 * Whatever is chosen, this JVM gets its own database ({@code trove_test_<random>}) and its own AMQP
 * virtual host where the broker can make one, so parallel runs never share rows or messages. A choice
 * that cannot be honoured fails loudly: nothing here ever skips a test.
 */
public final class TestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);

    private static volatile TestInfrastructure instance;

    private final Backend backend;
    private final String database;
    private final String vhost;

    private TestInfrastructure(Backend backend) {
        this.backend = backend;
        String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.database = "trove_test_" + runId;
        createDatabase();
        this.vhost = backend.createVhost("trove_test_" + runId);
        log.info("Test infrastructure: {} (database {}, vhost {})", backend.mode(), database, vhost);
        Runtime.getRuntime().addShutdownHook(new Thread(this::tearDown, "trovej-test-infra-teardown"));
    }

    /** The JVM-wide infrastructure, started on first use. */
    public static TestInfrastructure get() {
        TestInfrastructure current = instance;
        if (current == null) {
            synchronized (TestInfrastructure.class) {
                current = instance;
                if (current == null) {
                    current = new TestInfrastructure(chooseBackend());
                    instance = current;
                }
            }
        }
        return current;
    }

    static Backend chooseBackend() {
        String wanted = System.getProperty("trovej.test.infra",
                System.getenv().getOrDefault("TROVEJ_TEST_INFRA", "auto")).toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "docker":
                return DockerBackend.start();
            case "local":
                if (!LocalBackend.available()) {
                    throw new IllegalStateException("TROVEJ_TEST_INFRA=local but PostgreSQL 127.0.0.1:5432 "
                            + "or RabbitMQ 127.0.0.1:5672 does not answer");
                }
                return new LocalBackend();
            case "embedded":
                return EmbeddedBackend.start();
            case "auto":
                if (DockerBackend.dockerAnswers()) {
                    return DockerBackend.start();
                }
                if (LocalBackend.available()) {
                    return new LocalBackend();
                }
                return EmbeddedBackend.start();
            default:
                throw new IllegalArgumentException("TROVEJ_TEST_INFRA must be auto, docker, local or embedded, not "
                        + wanted);
        }
    }

    public String mode() {
        return backend.mode();
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return backend.jdbcUrl(database);
    }

    public String dbUser() {
        return backend.dbUser();
    }

    public String dbPassword() {
        return backend.dbPassword();
    }

    public String amqpHost() {
        return backend.amqpHost();
    }

    public int amqpPort() {
        return backend.amqpPort();
    }

    public String amqpUser() {
        return backend.amqpUser();
    }

    public String amqpPassword() {
        return backend.amqpPassword();
    }

    public String amqpVhost() {
        return vhost;
    }

    /** amqp://user:pass@host:port/vhost with the vhost percent-encoded, as amqp-client and oslo.messaging read it. */
    public String amqpUri() {
        return "amqp://" + amqpUser() + ":" + amqpPassword() + "@" + amqpHost() + ":" + amqpPort() + "/"
                + ("/".equals(vhost) ? "%2F" : vhost);
    }

    /** The same broker as an oslo.messaging transport_url (rabbit://user:pass@host:port/vhost). */
    public String osloTransportUrl() {
        return "rabbit://" + amqpUser() + ":" + amqpPassword() + "@" + amqpHost() + ":" + amqpPort() + "/"
                + ("/".equals(vhost) ? "" : vhost);
    }

    /** Whether the broker can be stopped and started again by a test (only the embedded one). */
    public boolean brokerRestartable() {
        return backend instanceof EmbeddedBackend;
    }

    public Connection openConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), dbUser(), dbPassword());
    }

    /** A further empty database on the same server, dropped with the run; for tests that need a clean slate. */
    public String createExtraDatabase(String suffix) {
        String name = database + "_" + suffix;
        executeAdmin("CREATE DATABASE " + name);
        backend.extraDatabases().add(name);
        return backend.jdbcUrl(name);
    }

    private void createDatabase() {
        executeAdmin("CREATE DATABASE " + database);
    }

    private void executeAdmin(String sql) {
        try (Connection c = DriverManager.getConnection(backend.jdbcUrl(backend.adminDatabase()),
                backend.dbUser(), backend.dbPassword()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test infrastructure: " + sql + " failed on " + backend.mode(), e);
        }
    }

    private void tearDown() {
        try {
            for (String extra : backend.extraDatabases()) {
                executeAdmin("DROP DATABASE IF EXISTS " + extra + " WITH (FORCE)");
            }
            executeAdmin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (RuntimeException e) {
            log.warn("could not drop test database {}: {}", database, e.getMessage());
        }
        backend.deleteVhost(vhost);
        backend.stop();
    }

    static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
