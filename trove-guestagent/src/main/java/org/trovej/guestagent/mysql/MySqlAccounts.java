package org.trovej.guestagent.mysql;

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
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.guestagent.datastore.DatabaseSpec;
import org.trovej.guestagent.datastore.GuestErrors;
import org.trovej.guestagent.datastore.SqlAccountAdmin;
import org.trovej.guestagent.datastore.UserSpec;

/**
 * Databases, accounts ({@code user@host}), grants and root in the MySQL family, as Trove's MySQL guest does them:
 * <ul>
 *   <li>a user's access to a database is {@code ALL PRIVILEGES ON `db`.*} (the name's {@code _} and {@code %}
 *   escaped, so a grant means that database and no other that matches it as a pattern);</li>
 *   <li>accounts on {@code localhost} (the socket: the agent's and the server's own) are not listed, as in
 *   Trove, and cannot be created;</li>
 *   <li>root is Trove's: {@code root@'%'} with a password and every privilege; disabling drops it, leaving
 *   the socket-only {@code root@localhost} of the OS's root;</li>
 *   <li>passwords are sent as {@code mysql_native_password} hashes computed here, so the plain text never
 *   reaches the server or its logs; only when a password validation plugin is active (it must see the plain
 *   text to judge it) is the password itself sent, inside the statement, never logged;</li>
 *   <li>what the server refuses of the caller's input (a password policy, an unknown character set or
 *   collation, an invalid or too long name) is {@link GuestErrors#badRequest}.</li>
 * </ul>
 */
final class MySqlAccounts extends SqlAccountAdmin {

    private static final Logger log = LoggerFactory.getLogger(MySqlAccounts.class);
    static final String ROOT = "root";
    /** Trove's {@code ignore_dbs} and {@code ignore_users} for mysql and mariadb. */
    private static final Set<String> IGNORED_DATABASES = Set.of("mysql", "information_schema",
            "performance_schema", "sys");
    private static final Set<String> IGNORED_USERS = Set.of(AdminCredentials.ADMIN_USER, ROOT);
    private static final Pattern CHARSET_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._%:-]{1,255}(/[0-9.]{7,15})?");
    /**
     * Server errors that mean the caller's input was refused: 1819 password policy, 1115 unknown character
     * set, 1273 unknown collation, 1253 collation not of the character set, 1102 bad database name, 1470 name too
     * long, 1059 identifier too long, 1300 invalid character string, 1396 operation failed for the account.
     */
    private static final Set<Integer> REFUSED_INPUT = Set.of(1819, 1115, 1273, 1253, 1102, 1470, 1059, 1300, 1396);

    private final MySqlAdmin admin;

    MySqlAccounts(MySqlAdmin admin) {
        super(ROOT, IGNORED_DATABASES, IGNORED_USERS);
        this.admin = admin;
    }

    // ---- databases ------------------------------------------------------------------------------------------

    @Override
    public List<DatabaseSpec> listDatabases() throws SQLException {
        try (Connection c = admin.connect()) {
            return databases(c, "SELECT schema_name, default_character_set_name, default_collation_name "
                    + "FROM information_schema.schemata ORDER BY schema_name");
        }
    }

    @Override
    public void createDatabase(DatabaseSpec db) throws SQLException {
        StringBuilder sql = new StringBuilder("CREATE DATABASE IF NOT EXISTS ").append(MySqlAdmin.ident(db.name()));
        if (db.characterSet() != null && !db.characterSet().isEmpty()) {
            sql.append(" CHARACTER SET ").append(charsetName(db.characterSet(), "character set"));
        }
        if (db.collate() != null && !db.collate().isEmpty()) {
            sql.append(" COLLATE ").append(charsetName(db.collate(), "collation"));
        }
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute(sql.toString());
        } catch (SQLException e) {
            throw refusedInput(e, "Database " + db.name());
        }
        log.info("Created database {}", db.name());
    }

    @Override
    public void dropDatabase(String name) throws SQLException {
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + MySqlAdmin.ident(name));
        }
        log.info("Dropped database {}", name);
    }

    // ---- users ----------------------------------------------------------------------------------------------

    @Override
    public List<UserSpec> listUsers() throws SQLException {
        Map<String, List<String>> access = new LinkedHashMap<>();
        Map<String, String[]> accounts = new LinkedHashMap<>();
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT User, Host FROM mysql.user WHERE Host <> 'localhost' "
                    + "AND User <> '' ORDER BY User, Host")) {
                while (rs.next()) {
                    String key = rs.getString(1) + "@" + rs.getString(2);
                    accounts.put(key, new String[] {rs.getString(1), rs.getString(2)});
                    access.put(key, new ArrayList<>());
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT User, Host, Db FROM mysql.db ORDER BY Db")) {
                while (rs.next()) {
                    List<String> dbs = access.get(rs.getString(1) + "@" + rs.getString(2));
                    if (dbs != null) {
                        dbs.add(unescapePattern(rs.getString(3)));
                    }
                }
            }
        }
        List<UserSpec> users = new ArrayList<>();
        accounts.forEach((key, account) -> users.add(new UserSpec(account[0], null, account[1],
                List.copyOf(access.get(key)))));
        return users;
    }

    @Override
    public void createUser(UserSpec user) throws SQLException {
        requireHost(user.host());
        try (Connection c = admin.connect()) {
            // with its password in the same statement: a validation policy refuses accounts without one
            if (user.password() == null) {
                try (PreparedStatement ps = c.prepareStatement("CREATE USER ?@?")) {
                    ps.setString(1, user.name());
                    ps.setString(2, user.host());
                    ps.execute();
                } catch (SQLException e) {
                    throw refusedInput(e, "User " + user.name());
                }
            } else {
                executeWithPassword(c, "CREATE USER ?@? IDENTIFIED BY", user.name(), user.host(), user.password(),
                        "User " + user.name());
            }
        }
        grant(user.name(), user.host(), user.databases());
    }

    @Override
    public void dropUser(String name, String host) throws SQLException {
        try (Connection c = admin.connect()) {
            try (PreparedStatement ps = c.prepareStatement("DROP USER IF EXISTS ?@?")) {
                ps.setString(1, name);
                ps.setString(2, host);
                ps.execute();
            }
            if (!exists(c, "SELECT 1 FROM mysql.user WHERE User = ?", name)) {
                // a dropped account's sessions live on: end them when no other account of that name remains
                killSessions(c, name, null);
            }
        }
    }

    @Override
    public void renameUser(String name, String host, String newName, String newHost) throws SQLException {
        String targetName = newName == null ? name : newName;
        String targetHost = newHost == null ? host : newHost;
        requireHost(targetHost);
        try (Connection c = admin.connect(); PreparedStatement ps = c.prepareStatement("RENAME USER ?@? TO ?@?")) {
            ps.setString(1, name);
            ps.setString(2, host);
            ps.setString(3, targetName);
            ps.setString(4, targetHost);
            ps.execute();
        } catch (SQLException e) {
            throw refusedInput(e, "User " + targetName + "@" + targetHost);
        }
    }

    @Override
    public void setPassword(String name, String host, String password) throws SQLException {
        try (Connection c = admin.connect()) {
            setPassword(c, name, host, password);
        }
    }

    @Override
    public void grant(String name, String host, List<String> databases) throws SQLException {
        if (databases.isEmpty()) {
            return;
        }
        try (Connection c = admin.connect()) {
            for (String database : databases) {
                try (PreparedStatement ps = c.prepareStatement("GRANT ALL PRIVILEGES ON "
                        + MySqlAdmin.ident(escapePattern(database)) + ".* TO ?@?")) {
                    ps.setString(1, name);
                    ps.setString(2, host);
                    ps.execute();
                } catch (SQLException e) {
                    throw refusedInput(e, "Access to " + database);
                }
            }
        }
    }

    @Override
    public void revoke(String name, String host, String database) throws SQLException {
        try (Connection c = admin.connect()) {
            // the grant as the server holds it (escaped by us, or not by someone else)
            List<String> stored = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT Db FROM mysql.db WHERE User = ? AND Host = ?")) {
                ps.setString(1, name);
                ps.setString(2, host);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (unescapePattern(rs.getString(1)).equals(database)) {
                            stored.add(rs.getString(1));
                        }
                    }
                }
            }
            for (String db : stored) {
                try (PreparedStatement ps = c.prepareStatement("REVOKE ALL PRIVILEGES ON " + MySqlAdmin.ident(db)
                        + ".* FROM ?@?")) {
                    ps.setString(1, name);
                    ps.setString(2, host);
                    ps.execute();
                }
            }
            // privileges are checked when a database is entered: sessions already in it would keep their access
            killSessions(c, name, database);
        }
    }

    // ---- root -----------------------------------------------------------------------------------------------

    @Override
    public void enableRoot(String password) throws SQLException {
        try (Connection c = admin.connect()) {
            boolean exists;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1 FROM mysql.user WHERE User = 'root' AND Host = '%'")) {
                exists = rs.next();
            }
            executeWithPassword(c, exists ? "ALTER USER ?@? IDENTIFIED BY" : "CREATE USER ?@? IDENTIFIED BY", ROOT,
                    "%", password, "The root password");
            try (Statement s = c.createStatement()) {
                s.execute("GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION");
            }
        }
    }

    @Override
    public void disableRoot() throws SQLException {
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("DROP USER IF EXISTS 'root'@'%'");
            killSessionsFromNetwork(c, ROOT);
        }
    }

    @Override
    public boolean rootEnabled() throws SQLException {
        try (Connection c = admin.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM mysql.user WHERE User = 'root' AND Host <> 'localhost'")) {
            return rs.next();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void setPassword(Connection c, String name, String host, String password) throws SQLException {
        executeWithPassword(c, "ALTER USER ?@? IDENTIFIED BY", name, host, password,
                "The password of " + name + "@" + host);
    }

    /**
     * {@code <statement> [PASSWORD] ?} for an account: with a validation plugin active the server must see the
     * plain text to judge it; otherwise it only gets the hash it stores.
     */
    private static void executeWithPassword(Connection c, String statement, String name, String host,
                                            String password, String what) throws SQLException {
        boolean validated = passwordValidationActive(c);
        try (PreparedStatement ps = c.prepareStatement(statement + (validated ? " ?" : " PASSWORD ?"))) {
            ps.setString(1, name);
            ps.setString(2, host);
            ps.setString(3, validated ? password : NativePassword.hash(password));
            ps.execute();
        } catch (SQLException e) {
            throw refusedInput(e, what);
        }
    }

    private static boolean passwordValidationActive(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.plugins "
                     + "WHERE plugin_type = 'PASSWORD VALIDATION' AND plugin_status = 'ACTIVE'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    /** Ends the sessions of {@code user} (in {@code database} only, when not null). */
    private static void killSessions(Connection c, String user, String database) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM information_schema.processlist "
                + "WHERE user = ? AND (? IS NULL OR db = ?) AND id <> CONNECTION_ID()")) {
            ps.setString(1, user);
            ps.setString(2, database);
            ps.setString(3, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        kill(c, ids);
    }

    /** Ends the sessions of {@code user} that came over the network (not the socket's {@code localhost}). */
    private static void killSessionsFromNetwork(Connection c, String user) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM information_schema.processlist "
                + "WHERE user = ? AND host <> 'localhost' AND id <> CONNECTION_ID()")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        kill(c, ids);
    }

    private static void kill(Connection c, List<Long> ids) {
        for (long id : ids) {
            try (Statement s = c.createStatement()) {
                s.execute("KILL CONNECTION " + id);
            } catch (SQLException e) {
                log.debug("session {} ended meanwhile: {}", id, e.getMessage());
            }
        }
    }

    private static void requireHost(String host) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw GuestErrors.badRequest("'" + host + "' is not a valid host: use '%', an address (wildcards allowed), "
                    + "a host name, or address/netmask");
        }
        if (host.equalsIgnoreCase("localhost")) {
            throw GuestErrors.badRequest("Host 'localhost' is reserved for the datastore's own accounts");
        }
    }

    private static String charsetName(String name, String what) {
        if (!CHARSET_NAME.matcher(name).matches()) {
            throw GuestErrors.badRequest("'" + name + "' is not a valid " + what + " name");
        }
        return name;
    }

    /** A database name as a grant's pattern: {@code _} and {@code %} are wildcards there. */
    static String escapePattern(String database) {
        return database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
    }

    static String unescapePattern(String pattern) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '\\' && i + 1 < pattern.length()) {
                out.append(pattern.charAt(++i));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The server refused a name or setting the caller chose: the caller's error (400), not the agent's. */
    private static RuntimeException refusedInput(SQLException e, String what) throws SQLException {
        if (REFUSED_INPUT.contains(e.getErrorCode())) {
            return GuestErrors.badRequest(what + " was refused by the server: " + serverMessage(e));
        }
        throw e;
    }

    /** The server's message without the driver's prefix; a statement with a password in it is never shown. */
    private static String serverMessage(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int query = message.indexOf("\nQuery is:");
        return query < 0 ? message : message.substring(0, query);
    }
}
