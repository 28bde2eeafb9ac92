package org.trovej.service.quota;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Trove's quota engine (trove/quota/quota.py: DbQuotaDriver, run_with_quotas) on the {@code quotas},
 * {@code quota_usages} and {@code reservations} tables (through their owner, {@link QuotaRecords}), made atomic:
 * {@link #reserve} locks the project's usage rows ({@code SELECT ... FOR UPDATE}, in resource order so two
 * reservations never deadlock), checks {@code in_use + reserved + delta <= limit} for every positive delta and
 * raises {@code reserved} in the same transaction, so concurrent requests are serialised per project and can
 * never exceed a limit together.
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

    private final QuotaRecords records;
    private final TransactionTemplate tx;
    private final QuotaProperties defaults;

    QuotaService(QuotaRecords records, TransactionTemplate tx, QuotaProperties defaults) {
        this.records = records;
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
            throw QuotaRefused.unknownResource("Unknown quota resources " + pythonList(unknown) + ".");
        }
        Map<String, Integer> sorted = new TreeMap<>(deltas);
        if (sorted.isEmpty()) {
            return new Reservations(tenantId, List.of());
        }
        return tx.execute(s -> {
            Timestamp now = now();
            for (String resource : sorted.keySet()) {
                records.insertUsageIfAbsent(tenantId, resource, 0, now);
            }
            Map<String, QuotaRecords.Usage> usages = records.lockUsages(tenantId, sorted.keySet());
            Map<String, Integer> limits = limits(tenantId);
            List<String> overs = sorted.entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .filter(e -> limits.get(e.getKey()) >= 0)
                    .filter(e -> {
                        QuotaRecords.Usage usage = usages.get(e.getKey());
                        return (long) usage.inUse() + usage.reserved() + e.getValue() > limits.get(e.getKey());
                    })
                    .map(Map.Entry::getKey).sorted().toList();
            if (!overs.isEmpty()) {
                log.info("Project {} over quota for {}: asked {}, limits {}", tenantId, overs, sorted, limits);
                throw QuotaRefused.overLimit("Quota exceeded for resources: " + pythonList(overs) + ".");
            }
            List<String> ids = new ArrayList<>();
            for (Map.Entry<String, Integer> delta : sorted.entrySet()) {
                String usageId = usages.get(delta.getKey()).id();
                records.addReserved(usageId, delta.getValue(), now);
                ids.add(records.insertReservation(usageId, delta.getValue(), RESERVED, now));
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
            Timestamp now = now();
            // lock the usage rows in resource order first, as reserve does
            records.lockUsagesOf(reservations.ids());
            for (String id : reservations.ids()) {
                for (QuotaRecords.Reserved reserved : records.changeStatus(id, RESERVED, status, now)) {
                    if (COMMITTED.equals(status)) {
                        records.commitReserved(reserved.usageId(), reserved.delta(), now);
                    } else {
                        records.removeReserved(reserved.usageId(), reserved.delta(), now);
                    }
                }
            }
        });
    }

    /** The project's limit of every resource: its own, else the configured default. */
    public Map<String, Integer> limits(String tenantId) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        QuotaResources.ALL.forEach(r -> limits.put(r, defaults.defaultFor(r)));
        records.limits(tenantId).forEach((resource, limit) -> limits.replace(resource, limit));
        return limits;
    }

    /** Every resource's usage, reservations and limit, in Trove's order; nothing is written. */
    public List<QuotaUsage> usages(String tenantId) {
        Map<String, Integer> limits = limits(tenantId);
        Map<String, QuotaRecords.Usage> used = records.usages(tenantId);
        return QuotaResources.ALL.stream().map(r -> {
            QuotaRecords.Usage u = used.get(r);
            return new QuotaUsage(r, u == null ? 0 : u.inUse(), u == null ? 0 : u.reserved(), limits.get(r));
        }).toList();
    }

    /** The projects whose usage of this resource is tracked: they have a usage row for it. */
    public Set<String> trackedProjects(String resource) {
        return records.projectsWithUsage(resource);
    }

    /**
     * Tracks usage that existed before quotas were: a project without a usage row for the resource gets one with
     * {@code inUse}; a row that exists is left as it is.
     */
    public void trackExisting(String tenantId, String resource, int inUse) {
        records.insertUsageIfAbsent(tenantId, resource, inUse, now());
    }

    /**
     * Sets the project's own limits (Trove's QuotaController.update): nulls skipped, values below -1 refused
     * (400, QuotaLimitTooSmall), unknown resources 404; all or nothing. Returns the limits set.
     */
    public Map<String, Integer> update(String tenantId, Map<String, Integer> requested) {
        return tx.execute(s -> {
            Map<String, Integer> set = new LinkedHashMap<>();
            Timestamp now = now();
            for (Map.Entry<String, Integer> entry : requested.entrySet()) {
                String resource = entry.getKey();
                Integer limit = entry.getValue();
                if (limit == null) {
                    continue;
                }
                if (limit < -1) {
                    throw QuotaRefused.limitTooSmall("Quota limit '" + limit + "' for '" + resource
                            + "' is too small - must be at least '-1'.");
                }
                if ("xmlns".equals(resource)) {
                    continue;
                }
                if (!QuotaResources.known(resource)) {
                    throw QuotaRefused.unknownResource("Unknown quota resources " + resource + ".");
                }
                records.setLimit(tenantId, resource, limit, now);
                set.put(resource, limit);
            }
            log.info("Quotas of project {} set: {}", tenantId, set);
            return set;
        });
    }

    private static Timestamp now() {
        return Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
    }

    /** A list as Python prints it: ['a', 'b']. */
    static String pythonList(List<String> items) {
        return items.stream().map(i -> "'" + i + "'").collect(Collectors.joining(", ", "[", "]"));
    }
}
