package org.trovej.testsupport;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL and RabbitMQ that run on this machine (127.0.0.1:5432 trust auth, 127.0.0.1:5672
 * guest/guest). A private vhost is made with rabbitmqctl when it is on the PATH and allowed.
 */
final class LocalBackend implements Backend {

    private static final Logger log = LoggerFactory.getLogger(LocalBackend.class);

    private final List<String> extraDatabases = new CopyOnWriteArrayList<>();

    static boolean available() {
        return TestInfrastructure.answers("127.0.0.1", 5432) && TestInfrastructure.answers("127.0.0.1", 5672);
    }

    @Override
    public String mode() {
        return "local";
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    @Override
    public String dbUser() {
        return System.getenv().getOrDefault("TROVEJ_TEST_PGUSER", "postgres");
    }

    @Override
    public String dbPassword() {
        return System.getenv().getOrDefault("TROVEJ_TEST_PGPASSWORD", "");
    }

    @Override
    public String amqpHost() {
        return "127.0.0.1";
    }

    @Override
    public int amqpPort() {
        return 5672;
    }

    @Override
    public String amqpUser() {
        return "guest";
    }

    @Override
    public String amqpPassword() {
        return "guest";
    }

    @Override
    public String createVhost(String name) {
        if (rabbitmqctl("add_vhost", name) && rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")) {
            return name;
        }
        // Without rabbitmqctl the tests still isolate themselves: every test names its own topics/exchange.
        log.warn("could not create RabbitMQ vhost {}; using '/' with per-test exchange and topic names", name);
        return "/";
    }

    @Override
    public void deleteVhost(String name) {
        if (!"/".equals(name)) {
            rabbitmqctl("delete_vhost", name);
        }
    }

    @Override
    public List<String> extraDatabases() {
        return extraDatabases;
    }

    @Override
    public void stop() {
        // the machine's services are not ours to stop
    }

    private static boolean rabbitmqctl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "rabbitmqctl";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
