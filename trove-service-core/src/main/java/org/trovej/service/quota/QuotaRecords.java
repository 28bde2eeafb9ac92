package org.trovej.service.quota;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The owner of {@code quotas}, {@code quota_usages} and {@code reservations}. SQL, not entities: the engine
 * needs row locks in a set order, inserts that do nothing on a conflict and updates that return what they changed.
 */
@Repository
class QuotaRecords {

    private final JdbcTemplate jdbc;

    QuotaRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A row of {@code quota_usages}. */
    record Usage(String id, String resource, int inUse, int reserved) {
    }

    /** What a reservation that changed status had reserved, and on which usage row. */
    record Reserved(String usageId, int delta) {
    }

    /** A usage row for the project and resource unless there is one: one that exists is left as it is. */
    void insertUsageIfAbsent(String tenantId, String resource, int inUse, Timestamp now) {
        jdbc.update("INSERT INTO quota_usages (id, tenant_id, resource, in_use, reserved, created, updated) "
                + "VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (tenant_id, resource) DO NOTHING",
                UUID.randomUUID().toString(), tenantId, resource, inUse, now, now);
    }

    /** The project's usage rows of these resources by resource, locked in resource order. */
    Map<String, Usage> lockUsages(String tenantId, Set<String> resources) {
        Map<String, Usage> rows = new HashMap<>();
        jdbc.query("SELECT id, resource, in_use, reserved FROM quota_usages WHERE tenant_id = ? AND resource = ANY (?) "
                + "ORDER BY resource FOR UPDATE", rs -> {
                    rows.put(rs.getString("resource"), new Usage(rs.getString("id"), rs.getString("resource"),
                            rs.getInt("in_use"), rs.getInt("reserved")));
                }, tenantId, resources.toArray(String[]::new));
        return rows;
    }

    /** The usage rows these reservations are on, locked in resource order. */
    void lockUsagesOf(List<String> reservationIds) {
        jdbc.queryForList("SELECT u.id FROM quota_usages u WHERE u.id IN (SELECT usage_id FROM reservations "
                + "WHERE id = ANY (?)) ORDER BY u.resource FOR UPDATE", String.class,
                (Object) reservationIds.toArray(String[]::new));
    }

    /** Every usage row of the project, by resource. */
    Map<String, Usage> usages(String tenantId) {
        Map<String, Usage> rows = new HashMap<>();
        jdbc.query("SELECT id, resource, in_use, reserved FROM quota_usages WHERE tenant_id = ?", rs -> {
            rows.put(rs.getString("resource"), new Usage(rs.getString("id"), rs.getString("resource"),
                    rs.getInt("in_use"), rs.getInt("reserved")));
        }, tenantId);
        return rows;
    }

    /** The projects that have a usage row for this resource. */
    Set<String> projectsWithUsage(String resource) {
        return new HashSet<>(jdbc.queryForList("SELECT tenant_id FROM quota_usages WHERE resource = ?", String.class,
                resource));
    }

    void addReserved(String usageId, int delta, Timestamp now) {
        jdbc.update("UPDATE quota_usages SET reserved = reserved + ?, updated = ? WHERE id = ?", delta, now, usageId);
    }

    /** The reserved delta becomes in use, never below zero (as Trove clamps). */
    void commitReserved(String usageId, int delta, Timestamp now) {
        jdbc.update("UPDATE quota_usages SET in_use = GREATEST(in_use + ?, 0), reserved = reserved - ?, "
                + "updated = ? WHERE id = ?", delta, delta, now, usageId);
    }

    void removeReserved(String usageId, int delta, Timestamp now) {
        jdbc.update("UPDATE quota_usages SET reserved = reserved - ?, updated = ? WHERE id = ?", delta, now, usageId);
    }

    /** A new reservation row; returns its id. */
    String insertReservation(String usageId, int delta, String status, Timestamp now) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO reservations (id, usage_id, delta, status, created, updated) "
                + "VALUES (?, ?, ?, ?, ?, ?)", id, usageId, delta, status, now, now);
        return id;
    }

    /** Moves the reservation from one status to another: what it had reserved, or nothing if not in {@code from}. */
    List<Reserved> changeStatus(String reservationId, String from, String to, Timestamp now) {
        return jdbc.query("UPDATE reservations SET status = ?, updated = ? WHERE id = ? AND status = ? "
                + "RETURNING usage_id, delta", (rs, n) -> new Reserved(rs.getString("usage_id"), rs.getInt("delta")),
                to, now, reservationId, from);
    }

    /** The project's own limits by resource; a row without a limit is left out. */
    Map<String, Integer> limits(String tenantId) {
        Map<String, Integer> limits = new HashMap<>();
        jdbc.query("SELECT resource, hard_limit FROM quotas WHERE tenant_id = ?", rs -> {
            int limit = rs.getInt("hard_limit");
            if (!rs.wasNull()) {
                limits.put(rs.getString("resource"), limit);
            }
        }, tenantId);
        return limits;
    }

    void setLimit(String tenantId, String resource, int limit, Timestamp now) {
        jdbc.update("INSERT INTO quotas (id, tenant_id, resource, hard_limit, created, updated) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, resource) "
                + "DO UPDATE SET hard_limit = EXCLUDED.hard_limit, updated = EXCLUDED.updated",
                UUID.randomUUID().toString(), tenantId, resource, limit, now, now);
    }
}
