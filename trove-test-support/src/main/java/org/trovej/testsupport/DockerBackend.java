package org.trovej.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.RabbitMQContainer;

/** Throwaway PostgreSQL and RabbitMQ containers, for machines with a Docker engine. */
final class DockerBackend implements Backend {

    private final PostgreSQLContainer<?> postgres;
    private final RabbitMQContainer rabbit;
    private final List<String> extraDatabases = new CopyOnWriteArrayList<>();

    private DockerBackend(PostgreSQLContainer<?> postgres, RabbitMQContainer rabbit) {
        this.postgres = postgres;
        this.rabbit = rabbit;
    }

    static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static DockerBackend start() {
        if (!dockerAnswers()) {
            throw new IllegalStateException("TROVEJ_TEST_INFRA=docker but no Docker engine answers");
        }
        PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:16-alpine");
        RabbitMQContainer mq = new RabbitMQContainer("rabbitmq:3.13-alpine");
        pg.start();
        mq.start();
        return new DockerBackend(pg, mq);
    }

    @Override
    public String mode() {
        return "docker";
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432) + "/" + database;
    }

    @Override
    public String adminDatabase() {
        return postgres.getDatabaseName();
    }

    @Override
    public String dbUser() {
        return postgres.getUsername();
    }

    @Override
    public String dbPassword() {
        return postgres.getPassword();
    }

    @Override
    public String amqpHost() {
        return rabbit.getHost();
    }

    @Override
    public int amqpPort() {
        return rabbit.getAmqpPort();
    }

    @Override
    public String amqpUser() {
        return rabbit.getAdminUsername();
    }

    @Override
    public String amqpPassword() {
        return rabbit.getAdminPassword();
    }

    @Override
    public String createVhost(String name) {
        return "/"; // the container is private to this JVM already
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
        rabbit.stop();
        postgres.stop();
    }
}
