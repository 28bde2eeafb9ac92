package org.trovej.guestagent.mysql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.AdminCredentials;

/**
 * What {@code mariabackup} needs of the account it logs in as ({@code os_admin@localhost}, through the socket):
 * RELOAD, PROCESS, LOCK TABLES and BINLOG MONITOR (REPLICATION CLIENT, its older name). The agent's accounts
 * have had every privilege since they were first made, but one changed since (by hand, as root) would only fail
 * half-way through the tool's start; so before a backup the missing ones are granted again over the agent's own
 * connection, as the PostgreSQL engine rewrites its host rules before one.
 */
final class MariaBackupPrivileges {

    private static final Logger log = LoggerFactory.getLogger(MariaBackupPrivileges.class);
    /** Each needed privilege, with the names the server may list it under. */
    private static final List<List<String>> REQUIRED = List.of(List.of("RELOAD"), List.of("PROCESS"),
            List.of("LOCK TABLES"), List.of("BINLOG MONITOR", "REPLICATION CLIENT"));

    private final MySqlAdmin admin;

    MariaBackupPrivileges(MySqlAdmin admin) {
        this.admin = admin;
    }

    /** Grants what the backup account lacks; fails naming it when the agent's connection cannot. */
    void ensure() throws IOException {
        String account = MySqlAdmin.literal(AdminCredentials.ADMIN_USER) + "@" + MySqlAdmin.literal("localhost");
        try (Connection c = admin.connect()) {
            List<String> missing = missing(c, account);
            if (missing.isEmpty()) {
                return;
            }
            log.warn("The backup account {} lacks {}: granting them", account, missing);
            try (Statement s = c.createStatement()) {
                // the agent's own account: not replicated (a replica's agent account is its own)
                s.execute("SET SESSION sql_log_bin = 0");
                s.execute("GRANT " + String.join(", ", missing) + " ON *.* TO " + account);
            } catch (SQLException e) {
                throw new IOException("The agent's account " + account + " lacks " + String.join(", ", missing)
                        + ", which mariabackup needs, and they could not be granted: " + e.getMessage(), e);
            }
        } catch (SQLException e) {
            throw new IOException("Could not check the privileges of " + account + " before the backup: "
                    + e.getMessage(), e);
        }
    }

    private static List<String> missing(Connection c, String account) throws SQLException {
        Set<String> held = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getString(1));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (List<String> names : REQUIRED) {
            if (names.stream().noneMatch(held::contains)) {
                // the older name: an alias of BINLOG MONITOR on the servers that have that
                missing.add(names.get(names.size() - 1));
            }
        }
        return missing;
    }
}
