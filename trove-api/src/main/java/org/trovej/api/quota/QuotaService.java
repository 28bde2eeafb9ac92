package org.trovej.api.quota;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.error.ApiException;
import org.trovej.api.web.Timestamps;

/**
 * Trove's quota engine (trove/quota/quota.py: DbQuotaDriver, run_with_quotas) on the {@code quotas},
 * {@code quota_usages} and {@code reservations} tables, made atomic: {@link #reserve} locks the project's usage
 * rows ({@code SELECT ... FOR UPDATE}, in resource order so two reservations never deadlock), checks
 * {@code in_use + reserved + delta <= limit} for every positive delta and raises {@code reserved} in the same
 * transaction, so concurrent requests are serialised per project and can never exceed a limit together.
 * {@link #commit} moves a reservation into {@code in_use}, {@link #rollback} gives it back; both change a
 * reservation only while it is still {@code Reserved}, so neither counts twice.
 *
 * <p>Called inside a transaction, {@link #reserve} joins it: a refusal then rolls back the caller's changes
 * too. Called outside, it commits on its own, and other requests see the reservation at once.
 */
@Service
public class QuotaService {

    static final String RESERVED = "Reserved";
    static final String COMMITTED = "Committed";
    static final String ROLLED_BACK = "Rolled Back";

    private static final Logger log = LoggerFactory.getLogger(QuotaService.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final QuotaProperties defaults;

    public QuotaService(JdbcTemplate jdbc, TransactionTemplate tx, QuotaProperties defaults) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.defaults = defaults;
    }

    /**
     * Trove's run_with_quotas: reserve, run, then commit when {@code operation} returns or roll back when it
     * throws (the exception goes on to the caller).
     */
    public <T> T runWithQuotas(String tenantId, Map<String, Integer> deltas, Supplier<T> operation) {
        Reservations reservations = reserve(tenantId, deltas);
        T result;
        try {
            result = operation.get();
        } catch (RuntimeException | Error e) {
            rollback(reservations);
            throw e;
        }
        commit(reservations);
        return result;
    }

    /**
     * Checks the deltas against the project's limits and reserves them. Unknown resource: 404 as Trove's
     * QuotaResourceUnknown; over a limit: 413 "Quota exceeded for resources: [...]." and nothing written.
     */
    public Reservations reserve(String tenantId, Map<String, Integer> deltas) {
        List<String> unknown = deltas.keySet().stream().filter(r -> !QuotaResources.known(r)).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.notFound("Unknown quota resources " + pythonList(unknown) + ".");
        }
        Map<String, Integer> sorted = new TreeMap<>(deltas);
        if (sorted.isEmpty()) {
            return new Reservations(tenantId, List.of());
        }
        return tx.execute(s -> {
            Timestamp now = Timestamp.valueOf(Timestamps.nowUtc());
            for (String resource : sorted.keySet()) {
                jdbc.update("INSERT INTO quota_usages (id, tenant_id, resource, in_use, reserved, created, updated) "
                        + "VALUES (?, ?, ?, 0, 0, ?, ?) ON CONFLICT (tenant_id, resource) DO NOTHING",
                        UUID.randomUUID().toString(), tenantId, resource, now, now);
            }
            Map<String, UsageRow> usages = lockUsages(tenantId, sorted.keySet());
            Map<String, Integer> limits = limits(tenantId);
            List<String> overs = sorted.entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .filter(e -> limits.get(e.getKey()) >= 0)
                    .filter(e -> {
                        UsageRow usage = usages.get(e.getKey());
                        return (long) usage.inUse() + usage.reserved() + e.getValue() > limits.get(e.getKey());
                    })
                    .map(Map.Entry::getKey).sorted().toList();
            if (!overs.isEmpty()) {
                log.info("Project {} over quota for {}: asked {}, limits {}", tenantId, overs, sorted, limits);
                throw ApiException.overLimit("Quota exceeded for resources: " + pythonList(overs) + ".");
            }
            List<String> ids = new ArrayList<>();
            for (Map.Entry<String, Integer> delta : sorted.entrySet()) {
                UsageRow usage = usages.get(delta.getKey());
                jdbc.update("UPDATE quota_usages SET reserved = reserved + ?, updated = ? WHERE id = ?",
                        delta.getValue(), now, usage.id());
                String id = UUID.randomUUID().toString();
                jdbc.update("INSERT INTO reservations (id, usage_id, delta, status, created, updated) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", id, usage.id(), delta.getValue(), RESERVED, now, now);
                ids.add(id);
            }
            return new Reservations(tenantId, ids);
        });
    }

    /**
     * The reserved amounts become in use (never below zero, as Trove clamps). Called once the operation has been
     * accepted, so a failure here does not fail it: it is logged, and the amounts stay reserved, which still
     * counts them against the limits.
     */
    public void commit(Reservations reservations) {
        try {
            finish(reservations, COMMITTED);
        } catch (RuntimeException e) {
            log.error("Reservations {} of project {} could not be committed; they stay reserved",
                    reservations.ids(), reservations.tenantId(), e);
        }
    }

    /** The reserved amounts are given back. */
    public void rollback(Reservations reservations) {
        try {
            finish(reservations, ROLLED_BACK);
        } catch (RuntimeException e) {
            log.error("Reservations {} of project {} could not be rolled back", reservations.ids(),
                    reservations.tenantId(), e);
        }
    }

    /**
     * Frees what a deleted resource used: the (negative) deltas reserved and committed in one transaction. Called
     * once the delete has been accepted: a failure is logged, and the usage stays counted (never under-counted).
     */
    public void release(String tenantId, Map<String, Integer> deltas) {
        Map<String, Integer> negative = deltas.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> -Math.abs(e.getValue()), (a, b) -> a, LinkedHashMap::new));
        try {
            tx.executeWithoutResult(s -> finish(reserve(tenantId, negative), COMMITTED));
        } catch (RuntimeException e) {
            log.error("Usage {} of project {} could not be freed", negative, tenantId, e);
        }
    }

    private void finish(Reservations reservations, String status) {
        if (reservations.ids().isEmpty()) {
            return;
        }
        tx.executeWithoutResult(s -> {
            Timestamp now = Timestamp.valueOf(Timestamps.nowUtc());
            // lock the usage rows in resource order first, as reserve does
            jdbc.queryForList("SELECT u.id FROM quota_usages u WHERE u.id IN (SELECT usage_id FROM reservations "
                    + "WHERE id = ANY (?)) ORDER BY u.resource FOR UPDATE", String.class,
                    (Object) reservations.ids().toArray(String[]::new));
            for (String id : reservations.ids()) {
                List<Map<String, Object>> changed = jdbc.queryForList("UPDATE reservations SET status = ?, updated = ? "
                        + "WHERE id = ? AND status = ? RETURNING usage_id, delta", status, now, id, RESERVED);
                for (Map<String, Object> row : changed) {
                    int delta = ((Number) row.get("delta")).intValue();
                    if (COMMITTED.equals(status)) {
                        jdbc.update("UPDATE quota_usages SET in_use = GREATEST(in_use + ?, 0), reserved = reserved - ?, "
                                + "updated = ? WHERE id = ?", delta, delta, now, row.get("usage_id"));
                    } else {
                        jdbc.update("UPDATE quota_usages SET reserved = reserved - ?, updated = ? WHERE id = ?",
                                delta, now, row.get("usage_id"));
                    }
                }
            }
        });
    }

    /** The project's limit of every resource: its own, else the configured default. */
    public Map<String, Integer> limits(String tenantId) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        QuotaResources.ALL.forEach(r -> limits.put(r, defaults.defaultFor(r)));
        jdbc.query("SELECT resource, hard_limit FROM quotas WHERE tenant_id = ?", rs -> {
            String resource = rs.getString("resource");
            int limit = rs.getInt("hard_limit");
            if (limits.containsKey(resource) && !rs.wasNull()) {
                limits.put(resource, limit);
            }
        }, tenantId);
        return limits;
    }

    /** Every resource's usage, reservations and limit, in Trove's order; nothing is written. */
    public List<QuotaUsage> usages(String tenantId) {
        Map<String, Integer> limits = limits(tenantId);
        Map<String, int[]> used = new HashMap<>();
        jdbc.query("SELECT resource, in_use, reserved FROM quota_usages WHERE tenant_id = ?",
                rs -> {
                    used.put(rs.getString("resource"), new int[] {rs.getInt("in_use"), rs.getInt("reserved")});
                }, tenantId);
        return QuotaResources.ALL.stream().map(r -> {
            int[] u = used.getOrDefault(r, new int[] {0, 0});
            return new QuotaUsage(r, u[0], u[1], limits.get(r));
        }).toList();
    }

    /**
     * Sets the project's own limits (Trove's QuotaController.update): nulls skipped, values below -1 refused
     * (400, QuotaLimitTooSmall), unknown resources 404; all or nothing. Returns the limits set.
     */
    public Map<String, Integer> update(String tenantId, Map<String, Integer> requested) {
        return tx.execute(s -> {
            Map<String, Integer> set = new LinkedHashMap<>();
            Timestamp now = Timestamp.valueOf(Timestamps.nowUtc());
            for (Map.Entry<String, Integer> entry : requested.entrySet()) {
                String resource = entry.getKey();
                Integer limit = entry.getValue();
                if (limit == null) {
                    continue;
                }
                if (limit < -1) {
                    throw ApiException.badRequest("Quota limit '" + limit + "' for '" + resource
                            + "' is too small - must be at least '-1'.");
                }
                if ("xmlns".equals(resource)) {
                    continue;
                }
                if (!QuotaResources.known(resource)) {
                    throw ApiException.notFound("Unknown quota resources " + resource + ".");
                }
                jdbc.update("INSERT INTO quotas (id, tenant_id, resource, hard_limit, created, updated) "
                        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, resource) "
                        + "DO UPDATE SET hard_limit = EXCLUDED.hard_limit, updated = EXCLUDED.updated",
                        UUID.randomUUID().toString(), tenantId, resource, limit, now, now);
                set.put(resource, limit);
            }
            log.info("Quotas of project {} set: {}", tenantId, set);
            return set;
        });
    }

    private Map<String, UsageRow> lockUsages(String tenantId, Set<String> resources) {
        Map<String, UsageRow> rows = new HashMap<>();
        jdbc.query("SELECT id, resource, in_use, reserved FROM quota_usages WHERE tenant_id = ? AND resource = ANY (?) "
                + "ORDER BY resource FOR UPDATE", rs -> {
                    rows.put(rs.getString("resource"), new UsageRow(rs.getString("id"), rs.getInt("in_use"),
                            rs.getInt("reserved")));
                }, tenantId, resources.toArray(String[]::new));
        return rows;
    }

    private record UsageRow(String id, int inUse, int reserved) {
    }

    /** A list as Python prints it: ['a', 'b']. */
    static String pythonList(List<String> items) {
        return items.stream().map(i -> "'" + i + "'").collect(Collectors.joining(", ", "[", "]"));
    }
}
