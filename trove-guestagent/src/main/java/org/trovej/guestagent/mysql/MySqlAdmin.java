package org.trovej.guestagent.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Supplier;

import org.mariadb.jdbc.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.common.status.ServiceStatus;

/**
 * The agent's SQL connection, as {@code os_admin} over TCP to the server's own address, with MariaDB
 * Connector/J (client-side prepared statements: values are sent as escaped literals).
 */
final class MySqlAdmin {

    private static final Logger log = LoggerFactory.getLogger(MySqlAdmin.class);
    private static final Driver DRIVER = new Driver();

    /** The session's statements stay out of the general log and the slow query log. */
    static final String SESSION_LOGGING_OFF = "sql_log_off=1,slow_query_log=0";

    private final MySqlSettings settings;
    private final Supplier<String> adminPassword;

    MySqlAdmin(MySqlSettings settings, Supplier<String> adminPassword) {
        this.settings = settings;
        this.adminPassword = adminPassword;
    }

    Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", AdminCredentials.ADMIN_USER);
        props.setProperty("password", adminPassword.get());
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", "60000");
        props.setProperty("sslMode", "disable");
        props.setProperty("connectionAttributes", "program_name:trove-guestagent");
        // the agent's statements (CREATE USER ... IDENTIFIED BY among them) never reach the general or slow query log
        // a user may switch on and publish (guest logs): set with the connection's set-up, before any statement
        props.setProperty("sessionVariables", SESSION_LOGGING_OFF);
        Connection connection = DRIVER.connect("jdbc:mariadb://" + settings.connectAddress() + "/", props);
        if (connection == null) {
            throw new SQLException("the MariaDB driver did not accept the URL");
        }
        return connection;
    }

    /**
     * Whether the server answers: a query that works, or any refusal the server itself sends (too many
     * connections, a password problem), means it accepts connections ({@code HEALTHY}); no answer at all is
     * {@code null}, for the caller to tell a server starting up from a hung one.
     */
    ServiceStatus probe() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            s.execute("SELECT 1");
            return ServiceStatus.HEALTHY;
        } catch (SQLException e) {
            if (serverError(e)) {
                log.warn("The server answers but refused the agent ({}): {}", e.getErrorCode(), e.getMessage());
                return ServiceStatus.HEALTHY;
            }
            log.debug("The server does not answer: {}", e.getMessage());
            return null;
        }
    }

    /** Whether the agent logs in and a query works (not only whether the server answers). */
    boolean loginWorks() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            log.debug("The agent cannot log in yet: {}", e.getMessage());
            return false;
        }
    }

    /** An error the server sent (its codes are 1000-1999 and 3000 up; the client's own are 2000-2999). */
    static boolean serverError(SQLException e) {
        int code = e.getErrorCode();
        return (code >= 1000 && code < 2000) || code >= 3000;
    }

    static String ident(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** A string literal whatever the server's SQL mode (backslashes and quotes escaped). */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0") + "'";
    }
}
