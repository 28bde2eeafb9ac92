package org.trovej.guestagent.postgresql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.trovej.guestagent.datastore.GuestError;

/**
 * Where a server is in its WAL: its LSNs (as text and as byte positions), its timeline, whether it is a standby.
 * Stateless: every reading takes the connection to read it on.
 */
final class WalPositions {

    private WalPositions() {
    }

    /** An LSN {@code X/Y} (hexadecimal halves) as the byte position it names. */
    static long lsnBytes(String lsn) {
        int slash = lsn == null ? -1 : lsn.indexOf('/');
        if (slash <= 0) {
            throw new GuestError("Not a PostgreSQL WAL position (X/Y): " + lsn);
        }
        try {
            return (Long.parseLong(lsn.substring(0, slash).strip(), 16) << 32)
                    | Long.parseLong(lsn.substring(slash + 1).strip(), 16);
        } catch (NumberFormatException e) {
            throw new GuestError("Not a PostgreSQL WAL position (X/Y): " + lsn);
        }
    }

    /** The latest position: replayed on a standby ({@code 0/0} before any), written on a source. */
    static String latest(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CASE WHEN pg_is_in_recovery() THEN "
                     + "coalesce(pg_last_wal_replay_lsn(), '0/0') ELSE pg_current_wal_lsn() END::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The position a standby has replayed ({@code 0/0} before any). */
    static String replayed(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT coalesce(pg_last_wal_replay_lsn(), '0/0')::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The timeline this source writes on (its current WAL file's first 8 hex digits). */
    static long timeline(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_walfile_name(pg_current_wal_lsn())")) {
            rs.next();
            return Long.parseLong(rs.getString(1).substring(0, 8), 16);
        }
    }

    static boolean inRecovery(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
