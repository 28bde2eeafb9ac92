package org.trovej.guestagent.postgresql;

import static org.trovej.guestagent.postgresql.PostgresAdmin.ident;
import static org.trovej.guestagent.postgresql.PostgresAdmin.literal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.DatabaseSpec;
import org.trovej.guestagent.datastore.GuestErrors;
import org.trovej.guestagent.datastore.SqlAccountAdmin;
import org.trovej.guestagent.datastore.UserSpec;

/**
 * Databases, login roles, grants and root on PostgreSQL, done as {@code postgres} ({@code SET ROLE}) through the
 * agent's {@code os_admin} connection, so that everything belongs to the datastore's superuser as in Trove.
 * <ul>
 *   <li>A database is private: {@code PUBLIC} loses CONNECT when it is created, so a user reaches exactly the
 *   databases it was granted, and a revoked user is refused (its open sessions there are ended).</li>
 *   <li>A user's access is {@code GRANT ALL} on the database plus use of its {@code public} schema (only the
 *   owner may create there since PostgreSQL 15).</li>
 *   <li>Passwords travel as SCRAM verifiers computed here: the plain text never reaches the server or its
 *   logs. A user with a host gets pg_hba rules ({@link PostgresHostRules}).</li>
 *   <li>Root is Trove's: a superuser login role named {@code root} (trove/guestagent/datastore/postgres/service.py
 *   {@code build_root_user}, with its {@code ADMIN_OPTIONS}), created on first enable. {@code postgres} stays the
 *   agent's own administration role and never logs in. Disabling root takes the login away (NOLOGIN, no
 *   password, sessions ended) where Trove only sets a new random password.</li>
 * </ul>
 */
final class PostgresAccounts extends SqlAccountAdmin {

    private static final Logger log = LoggerFactory.getLogger(PostgresAccounts.class);
    static final String SUPERUSER = "postgres";
    /** Trove's PostgreSQL root user. */
    static final String ROOT = "root";
    /** The attributes Trove gives root (postgres/service.py {@code PgSqlAdmin.ADMIN_OPTIONS}). */
    private static final String ROOT_OPTIONS = "SUPERUSER CREATEDB CREATEROLE INHERIT REPLICATION BYPASSRLS LOGIN";
    /** The maintenance database the agent connects to for server-wide statements. */
    private static final String ADMIN_DB = "postgres";
    private static final Set<String> IGNORED_DATABASES = Set.of("postgres", "template0", "template1",
            PostgresConfigFiles.ADMIN_ROLE);
    /** Trove's postgresql {@code ignore_users}: root is listed like any user, as in Trove. */
    private static final Set<String> IGNORED_USERS = Set.of(SUPERUSER, PostgresConfigFiles.ADMIN_ROLE,
            PostgresReplicationRole.USER);

    private final PostgresAdmin admin;
    private final PostgresConfigFiles files;

    PostgresAccounts(PostgresAdmin admin, PostgresConfigFiles files) {
        super(ROOT, IGNORED_DATABASES, IGNORED_USERS);
        this.admin = admin;
        this.files = files;
    }

    // ---- databases ------------------------------------------------------------------------------------------

    @Override
    public List<DatabaseSpec> listDatabases() throws SQLException {
        try (Connection c = admin.connect(ADMIN_DB)) {
            return databases(c, "SELECT datname, pg_encoding_to_char(encoding), datcollate "
                    + "FROM pg_database WHERE NOT datistemplate ORDER BY datname");
        }
    }

    @Override
    public void createDatabase(DatabaseSpec db) throws SQLException {
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
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
                sql.append(" LC_COLLATE ").append(literal(db.collate())).append(" LC_CTYPE ")
                        .append(literal(db.collate()));
            }
            if (db.characterSet() != null || db.collate() != null) {
                // template1's encoding and collation are fixed; template0 accepts others
                sql.append(" TEMPLATE template0");
            }
            try {
                s.execute(sql.toString());
            } catch (SQLException e) {
                throw refusedInput(e, "Database " + db.name());
            }
            s.execute("REVOKE ALL ON DATABASE " + ident(db.name()) + " FROM PUBLIC");
            log.info("Created database {}", db.name());
        }
    }

    @Override
    public void dropDatabase(String name) throws SQLException {
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
            s.execute("SET ROLE " + ident(SUPERUSER));
            // FORCE: sessions of the database's users must not keep it from being dropped
            s.execute("DROP DATABASE IF EXISTS " + ident(name) + " WITH (FORCE)");
            log.info("Dropped database {}", name);
        }
    }

    // ---- users ----------------------------------------------------------------------------------------------

    @Override
    public List<UserSpec> listUsers() throws SQLException {
        Map<String, List<String>> access = new LinkedHashMap<>();
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT rolname FROM pg_roles WHERE rolcanlogin ORDER BY rolname")) {
                while (rs.next()) {
                    access.put(rs.getString(1), new ArrayList<>());
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT r.rolname, d.datname
                      FROM pg_database d, aclexplode(d.datacl) a, pg_roles r
                     WHERE a.grantee = r.oid AND a.privilege_type = 'CREATE' AND NOT d.datistemplate
                     ORDER BY d.datname""")) {
                while (rs.next()) {
                    List<String> dbs = access.get(rs.getString(1));
                    if (dbs != null) {
                        dbs.add(rs.getString(2));
                    }
                }
            }
        }
        SortedMap<String, String> hosts = files.readUserHosts();
        List<UserSpec> users = new ArrayList<>();
        access.forEach((name, dbs) -> users.add(new UserSpec(name, null, hosts.getOrDefault(name, "%"),
                List.copyOf(dbs))));
        return users;
    }

    @Override
    public void createUser(UserSpec user) throws SQLException {
        String address = PostgresHostRules.address(user.host());
        if (address != null) {
            PostgresHostRules.user(user.name());
        }
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
            s.execute("SET ROLE " + ident(SUPERUSER));
            boolean exists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user.name());
            try {
                s.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + ident(user.name()) + " WITH LOGIN");
            } catch (SQLException e) {
                throw refusedInput(e, "User " + user.name());
            }
            if (user.password() != null) {
                setPassword(c, user.name(), user.password());
            }
        }
        setHost(user.name(), user.host());
        grant(user.name(), user.host(), user.databases());
    }

    @Override
    public void dropUser(String name, String host) throws SQLException {
        // what the user owns goes to postgres rather than being lost with the role
        for (DatabaseSpec db : listDatabases()) {
            try (Connection c = admin.connect(db.name()); Statement s = c.createStatement()) {
                s.execute("SET ROLE " + ident(SUPERUSER));
                s.execute("REASSIGN OWNED BY " + ident(name) + " TO " + ident(SUPERUSER));
                s.execute("DROP OWNED BY " + ident(name));
            } catch (SQLException e) {
                if (!"3D000".equals(e.getSQLState())) { // a database dropped meanwhile
                    throw e;
                }
            }
        }
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
            s.execute("SET ROLE " + ident(SUPERUSER));
            terminateSessions(c, name, null);
            s.execute("DROP ROLE IF EXISTS " + ident(name));
        }
        setHost(name, "%");
    }

    @Override
    public void renameUser(String name, String host, String newName, String newHost) throws SQLException {
        if (!newName.equals(name)) {
            try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
                s.execute("SET ROLE " + ident(SUPERUSER));
                // a role with sessions cannot be renamed
                terminateSessions(c, name, null);
                try {
                    s.execute("ALTER ROLE " + ident(name) + " RENAME TO " + ident(newName));
                } catch (SQLException e) {
                    throw refusedInput(e, "User " + newName);
                }
            }
            setHost(name, "%");
        }
        setHost(newName, newHost);
    }

    @Override
    public void setPassword(String name, String host, String password) throws SQLException {
        try (Connection c = admin.connect(ADMIN_DB)) {
            setPassword(c, name, password);
        }
    }

    @Override
    public void grant(String name, String host, List<String> databases) throws SQLException {
        for (String database : databases) {
            try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
                s.execute("SET ROLE " + ident(SUPERUSER));
                s.execute("GRANT ALL ON DATABASE " + ident(database) + " TO " + ident(name));
            }
            try (Connection c = admin.connect(database); Statement s = c.createStatement()) {
                s.execute("SET ROLE " + ident(SUPERUSER));
                s.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + ident(name));
            }
        }
    }

    @Override
    public void revoke(String name, String host, String database) throws SQLException {
        try (Connection c = admin.connect(database); Statement s = c.createStatement()) {
            s.execute("SET ROLE " + ident(SUPERUSER));
            s.execute("REVOKE USAGE, CREATE ON SCHEMA public FROM " + ident(name));
        }
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
            s.execute("SET ROLE " + ident(SUPERUSER));
            s.execute("REVOKE ALL ON DATABASE " + ident(database) + " FROM " + ident(name));
            // access is checked at connection time: sessions opened before the revoke would keep it
            terminateSessions(c, name, database);
        }
    }

    // ---- root -----------------------------------------------------------------------------------------------

    @Override
    public void enableRoot(String password) throws SQLException {
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
            if (exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", ROOT)) {
                s.execute("ALTER ROLE " + ident(ROOT) + " WITH " + ROOT_OPTIONS);
            } else {
                s.execute("CREATE ROLE " + ident(ROOT) + " WITH " + ROOT_OPTIONS);
            }
            setPassword(c, ROOT, password);
        }
    }

    @Override
    public void disableRoot() throws SQLException {
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", ROOT)) {
                return;
            }
            // kept, not dropped: objects root created stay owned; it simply cannot log in any more
            s.execute("ALTER ROLE " + ident(ROOT) + " WITH NOLOGIN PASSWORD NULL");
            terminateSessions(c, ROOT, null);
        }
    }

    @Override
    public boolean rootEnabled() throws SQLException {
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolcanlogin AND rolpassword IS NOT NULL FROM pg_authid "
                     + "WHERE rolname = '" + ROOT + "'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void setHost(String name, String host) {
        SortedMap<String, String> hosts = files.readUserHosts();
        String before = hosts.get(name);
        if (host == null || host.equals("%")) {
            hosts.remove(name);
        } else {
            hosts.put(name, host);
        }
        if (!java.util.Objects.equals(before, hosts.get(name))) {
            files.writeUserHosts(hosts);
            reloadConfiguration();
        }
    }

    private void reloadConfiguration() {
        try (Connection c = admin.connect(ADMIN_DB); Statement s = c.createStatement()) {
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reload the server's configuration: " + e.getMessage(), e);
        }
    }

    private static void setPassword(Connection c, String name, String password) throws SQLException {
        c.unwrap(PGConnection.class).alterUserPassword(name, password.toCharArray(), "scram-sha-256");
    }

    private static void terminateSessions(Connection c, String user, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE usename = ? AND (CAST(? AS text) IS NULL OR datname = ?) AND pid <> pg_backend_pid()")) {
            ps.setString(1, user);
            ps.setString(2, database);
            ps.setString(3, database);
            ps.executeQuery().close();
        }
    }

    /** The server refused a name or setting the caller chose: the caller's error (400), not the agent's. */
    private static RuntimeException refusedInput(SQLException e, String what) throws SQLException {
        String state = e.getSQLState();
        // 22xxx data exceptions, 42xxx syntax/naming (e.g. an unknown encoding or collation)
        if (state != null && (state.startsWith("22") || state.startsWith("42"))) {
            return GuestErrors.badRequest(what + " was refused by PostgreSQL: " + e.getMessage());
        }
        throw e;
    }
}
