package org.trovej.guestagent.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Supplier;

import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.status.ServiceStatus;
import org.trovej.guestagent.datastore.DatabaseSpec;
import org.trovej.guestagent.datastore.UserSpec;

/**
 * The agent's SQL, as {@code os_admin} over TCP to the server's own address. Objects are created as
 * {@code postgres} ({@code SET ROLE}), so databases and grants belong to the datastore's superuser as they
 * do in Trove, and the agent's role stays an invisible helper. Passwords are sent as SCRAM verifiers
 * computed here, so the plain text never reaches the server, its logs or {@code pg_stat_activity}.
 */
final class PostgresAdmin {

    private static final Logger log = LoggerFactory.getLogger(PostgresAdmin.class);
    private static final Driver DRIVER = new Driver();
    private static final String SUPERUSER = "postgres";

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
        String host = settings.connectHost().contains(":") ? "[" + settings.connectHost() + "]" : settings.connectHost();
        Connection connection = DRIVER.connect("jdbc:postgresql://" + host + ":" + settings.port() + "/" + database,
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

    void createDatabase(DatabaseSpec db) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            if (exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", db.name())) {
                log.info("Database {} exists", db.name());
                return;
            }
            s.execute("SET ROLE " + ident(SUPERUSER));
            StringBuilder sql = new StringBuilder("CREATE DATABASE ").append(ident(db.name()));
            if (db.characterSet() != null) {
                sql.append(" ENCODING ").append(literal(db.characterSet()));
            }
            if (db.collate() != null) {
                sql.append(" LC_COLLATE ").append(literal(db.collate()));
            }
            if (db.characterSet() != null || db.collate() != null) {
                // template1's encoding and collation are fixed; template0 accepts others
                sql.append(" TEMPLATE template0");
            }
            s.execute(sql.toString());
            log.info("Created database {}", db.name());
        }
    }

    void createUser(UserSpec user) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("SET ROLE " + ident(SUPERUSER));
            boolean exists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user.name());
            s.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + ident(user.name()) + " WITH LOGIN");
            if (user.password() != null) {
                c.unwrap(PGConnection.class).alterUserPassword(user.name(), user.password().toCharArray(),
                        "scram-sha-256");
            }
            for (String database : user.databases()) {
                s.execute("GRANT ALL ON DATABASE " + ident(database) + " TO " + ident(user.name()));
                grantSchema(database, user.name());
            }
            log.info("{} user {} with access to {}", exists ? "Updated" : "Created", user.name(), user.databases());
        }
    }

    /** Since PostgreSQL 15 only the owner may create in {@code public}: Trove grants it to the user. */
    private void grantSchema(String database, String user) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute("SET ROLE " + ident(SUPERUSER));
            s.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + ident(user));
        }
    }

    /** Trove's root for PostgreSQL is {@code postgres}: let it log in with this password. */
    void enableRoot(String password) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + ident(SUPERUSER) + " WITH LOGIN");
            c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, password.toCharArray(), "scram-sha-256");
            log.info("Root ({}) enabled", SUPERUSER);
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
