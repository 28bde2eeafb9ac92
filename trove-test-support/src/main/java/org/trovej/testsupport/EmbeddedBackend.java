package org.trovej.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.trovej.embedded.EmbeddedAmqpBroker;
import org.trovej.embedded.EmbeddedPostgresServer;

/** PostgreSQL binaries from Maven Central and an in-process Qpid broker: needs nothing on the machine. */
final class EmbeddedBackend implements Backend {

    private final EmbeddedPostgresServer postgres;
    private final EmbeddedAmqpBroker broker;
    private final List<String> extraDatabases = new CopyOnWriteArrayList<>();

    private EmbeddedBackend(EmbeddedPostgresServer postgres, EmbeddedAmqpBroker broker) {
        this.postgres = postgres;
        this.broker = broker;
    }

    static EmbeddedBackend start() {
        return new EmbeddedBackend(EmbeddedPostgresServer.startEphemeral(), EmbeddedAmqpBroker.onFreePort().start());
    }

    EmbeddedAmqpBroker broker() {
        return broker;
    }

    @Override
    public String mode() {
        return "embedded";
    }

    @Override
    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    @Override
    public String dbUser() {
        return postgres.user();
    }

    @Override
    public String dbPassword() {
        return postgres.password();
    }

    @Override
    public String amqpHost() {
        return broker.host();
    }

    @Override
    public int amqpPort() {
        return broker.port();
    }

    @Override
    public String amqpUser() {
        return broker.user();
    }

    @Override
    public String amqpPassword() {
        return broker.password();
    }

    @Override
    public String createVhost(String name) {
        return "/"; // the broker is private to this JVM already
    }

    @Override
    public void deleteVhost(String name) {
    }

    @Override
    public List<String> extraDatabases() {
        return extraDatabases;
    }

    @Override
    public void stop() {
        broker.stop();
        postgres.close();
    }
}
