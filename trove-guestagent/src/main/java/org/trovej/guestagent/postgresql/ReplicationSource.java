package org.trovej.guestagent.postgresql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.guestagent.datastore.GuestError;

/**
 * The source a replica connects to, and its slot there. Its password is never shown: {@link #toString()} leaves it
 * out, and the libpq connection string names a password file instead.
 */
record ReplicationSource(String host, int port, String password, String slot) {

    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    /** The source a replica context names ({@code master}, {@code replica_conf.replication_user}). */
    static ReplicationSource of(JsonNode context, String slot) {
        JsonNode master = context.path("master");
        JsonNode user = context.path("replica_conf").path("replication_user");
        if (!master.path("host").isTextual() || master.path("host").asText().isBlank()
                || !master.path("port").canConvertToInt()) {
            throw new GuestError("The replica context names no source (master.host, master.port)");
        }
        if (!PostgresReplicationRole.USER.equals(user.path("name").asText(PostgresReplicationRole.USER))
                || !user.path("password").isTextual()) {
            throw new GuestError("The replica context has no replication user (replica_conf.replication_user)");
        }
        return new ReplicationSource(master.path("host").asText(), master.path("port").asInt(),
                user.path("password").asText(), slot);
    }

    String name() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The libpq connection string, its password in {@code passfile}. */
    String conninfo(Path passfile) {
        return "host=" + value(host) + " port=" + port + " user=" + PostgresReplicationRole.USER + " passfile="
                + value(passfile.toString()) + " application_name=" + value(slot) + " connect_timeout=10";
    }

    /** A normal connection to the source as the replication role (slot functions need its REPLICATION). */
    Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", PostgresReplicationRole.USER);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        props.setProperty("sslmode", "prefer");
        props.setProperty("ApplicationName", "trove-guestagent replica");
        Connection connection = DRIVER.connect("jdbc:postgresql://" + name() + "/postgres", props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver did not accept the source's address " + name());
        }
        return connection;
    }

    private static String value(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String toString() {
        return "Source[" + name() + ", slot " + slot + "]";
    }
}
