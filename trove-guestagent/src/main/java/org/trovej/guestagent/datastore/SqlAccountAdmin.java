package org.trovej.guestagent.datastore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An engine's {@link AccountAdmin} over JDBC: the engine's superuser and its own databases and accounts, fixed
 * per engine, and the queries every engine words alike.
 */
public abstract class SqlAccountAdmin implements AccountAdmin {

    private final String rootName;
    private final Set<String> ignoredDatabases;
    private final Set<String> ignoredUsers;

    protected SqlAccountAdmin(String rootName, Set<String> ignoredDatabases, Set<String> ignoredUsers) {
        this.rootName = rootName;
        this.ignoredDatabases = ignoredDatabases;
        this.ignoredUsers = ignoredUsers;
    }

    @Override
    public final String rootName() {
        return rootName;
    }

    @Override
    public final Set<String> ignoredDatabases() {
        return ignoredDatabases;
    }

    @Override
    public final Set<String> ignoredUsers() {
        return ignoredUsers;
    }

    /** The databases a query of (name, character set, collation) rows lists, in its order. */
    protected static List<DatabaseSpec> databases(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<DatabaseSpec> result = new ArrayList<>();
            while (rs.next()) {
                result.add(new DatabaseSpec(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            return result;
        }
    }

    /** Whether {@code sql}, with {@code value} as its one parameter, finds a row. */
    protected static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
