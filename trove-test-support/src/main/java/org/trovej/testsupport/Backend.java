package org.trovej.testsupport;

import java.util.List;

/** Where the test PostgreSQL and AMQP broker come from. */
interface Backend {

    String mode();

    String jdbcUrl(String database);

    /** A database that always exists, to run CREATE/DROP DATABASE from. */
    default String adminDatabase() {
        return "postgres";
    }

    String dbUser();

    String dbPassword();

    String amqpHost();

    int amqpPort();

    String amqpUser();

    String amqpPassword();

    /** Creates a private virtual host if the broker allows it and returns its name, else returns "/". */
    String createVhost(String name);

    void deleteVhost(String name);

    List<String> extraDatabases();

    void stop();
}
