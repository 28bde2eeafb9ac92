package org.trovej.guestagent.postgresql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Supplier;

import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.status.ServiceStatus;

/**
 * The agent's SQL, as {@code os_admin} over TCP to the server's own address. Objects are created as
 * {@code postgres} ({@code SET ROLE}), so databases and grants belong to the datastore's superuser as they
 * do in Trove, and the agent's role stays an invisible helper. Passwords are sent as SCRAM verifiers
 * computed here, so the plain text never reaches the server, its logs or {@code pg_stat_activity}.
 */
final class PostgresAdmin {

    private static final Logger log = LoggerFactory.getLogger(PostgresAdmin.class);
    private static final Driver DRIVER = new Driver();

    /** No statement logged, whatever its duration or error (startup options: no round trip of their own). */
    static final String SESSION_LOGGING_OFF = "-c log_statement=none -c log_min_duration_statement=-1 "
            + "-c log_min_error_statement=panic -c log_duration=off";

    private final PostgresSettings settings;
    private final Supplier<String> adminPassword;

    PostgresAdmin(PostgresSettings settings, Supplier<String> adminPassword) {
        this.settings = settings;
        this.adminPassword = adminPassword;
    }

    Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", PostgresConfigFiles.ADMIN_ROLE);
        props.setProperty("password", adminPassword.get());
        // connect/socket timeouts bound every step; loginTimeout would cost a new thread per connection
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        props.setProperty("sslmode", "disable");
        props.setProperty("ApplicationName", "trove-guestagent");
        // the agent's statements (CREATE ROLE ... PASSWORD among them) never reach a server log a user may switch on
        // and publish (the guest log 'general'): set at the session's start, by a superuser, before any statement
        props.setProperty("options", SESSION_LOGGING_OFF);
        Connection connection = DRIVER.connect("jdbc:postgresql://" + settings.connectAddress() + "/" + database,
                props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver did not accept the URL");
        }
        return connection;
    }

    /**
     * Whether the server answers, the way {@code pg_isready} decides: a query that works, or any refusal the
     * server itself sends (too many clients, a password problem), means it accepts connections; "starting
     * up / shutting down" (57P03) means it is on its way; no answer at all means it is stuck.
     */
    ServiceStatus probe() {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            s.execute("SELECT 1");
            return ServiceStatus.HEALTHY;
        } catch (SQLException e) {
            String state = e.getSQLState();
            if ("57P03".equals(state)) {
                return ServiceStatus.RUNNING;
            }
            if (state != null && !state.startsWith("08")) {
                log.warn("PostgreSQL answers but refused the agent ({}): {}", state, e.getMessage());
                return ServiceStatus.HEALTHY;
            }
            log.debug("PostgreSQL does not answer: {}", e.getMessage());
            return ServiceStatus.CRASHED;
        }
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
