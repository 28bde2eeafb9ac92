package org.trovej.allinone.embedded;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded default's settings, under {@code trovej.embedded} (environment: TROVEJ_EMBEDDED_ENABLED,
 * TROVEJ_EMBEDDED_POSTGRES_PORT, ...). Its data lives under {@code trovej.state-dir} (default {@code ./.trovej}).
 * Bound by {@link EmbeddedInfrastructure} before the context exists, not as a bean.
 *
 * @param enabled      start embedded PostgreSQL/AMQP for what is not configured externally
 * @param postgresPort port of the embedded PostgreSQL on 127.0.0.1 (0 = any free port)
 * @param database     database the services use, created on first start
 * @param amqpHost     address the embedded broker listens on
 * @param amqpPort     port of the embedded AMQP 0-9-1 broker (0 = any free port)
 */
@ConfigurationProperties(prefix = "trovej.embedded")
public record EmbeddedSettings(Boolean enabled, Integer postgresPort, String database, String amqpHost,
                               Integer amqpPort) {

    public EmbeddedSettings {
        // This class only runs in the all-in-one, which is the embedded default.
        enabled = enabled == null ? Boolean.TRUE : enabled;
        postgresPort = postgresPort == null ? 8780 : postgresPort;
        database = database == null ? "trove" : database;
        amqpHost = amqpHost == null ? "127.0.0.1" : amqpHost;
        amqpPort = amqpPort == null ? 8781 : amqpPort;
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("trovej.embedded.database must be a plain identifier: " + database);
        }
    }
}
