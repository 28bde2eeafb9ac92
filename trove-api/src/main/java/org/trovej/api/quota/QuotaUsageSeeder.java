package org.trovej.api.quota;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.web.Timestamps;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * Counts what existed before quotas were tracked: at start-up, before the API takes requests, a project with
 * live instances (or backups) but no usage row for a resource gets one with what those records use (instances,
 * their flavors' RAM, their volumes' GB; backups). Rows that exist are never touched, so this runs once per
 * project and resource and is safe to run in several API processes at once.
 */
@Component
class QuotaUsageSeeder implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(QuotaUsageSeeder.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final FlavorCatalog flavors;

    QuotaUsageSeeder(JdbcTemplate jdbc, TransactionTemplate tx, FlavorCatalog flavors) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.flavors = flavors;
    }

    @Override
    public void afterSingletonsInstantiated() {
        tx.executeWithoutResult(s -> seed());
    }

    void seed() {
        Map<String, int[]> instances = new LinkedHashMap<>();
        jdbc.query("SELECT i.tenant_id, i.flavor_id, count(*) AS n, coalesce(sum(i.volume_size), 0) AS gb "
                + "FROM instances i WHERE i.deleted = false AND i.tenant_id IS NOT NULL AND NOT EXISTS (SELECT 1 "
                + "FROM quota_usages u WHERE u.tenant_id = i.tenant_id AND u.resource = 'instances') "
                + "GROUP BY i.tenant_id, i.flavor_id", rs -> {
                    int[] sums = instances.computeIfAbsent(rs.getString("tenant_id"), t -> new int[3]);
                    int n = rs.getInt("n");
                    int ram = flavors.find(rs.getString("flavor_id")).map(f -> f.ram()).orElse(0);
                    sums[0] += n;
                    sums[1] += n * ram;
                    sums[2] += rs.getInt("gb");
                });
        instances.forEach((tenant, sums) -> {
            insert(tenant, QuotaResources.INSTANCES, sums[0]);
            insert(tenant, QuotaResources.RAM, sums[1]);
            insert(tenant, QuotaResources.VOLUMES, sums[2]);
        });
        Map<String, Integer> backups = new LinkedHashMap<>();
        jdbc.query("SELECT b.tenant_id, count(*) AS n FROM backups b WHERE b.deleted = false AND b.tenant_id IS NOT "
                + "NULL AND NOT EXISTS (SELECT 1 FROM quota_usages u WHERE u.tenant_id = b.tenant_id AND u.resource = "
                + "'backups') GROUP BY b.tenant_id", rs -> {
                    backups.put(rs.getString("tenant_id"), rs.getInt("n"));
                });
        backups.forEach((tenant, n) -> insert(tenant, QuotaResources.BACKUPS, n));
        if (!instances.isEmpty() || !backups.isEmpty()) {
            log.info("Quota usage counted from existing records for {} projects",
                    instances.size() + backups.size());
        }
    }

    private void insert(String tenant, String resource, int inUse) {
        Timestamp now = Timestamp.valueOf(Timestamps.nowUtc());
        jdbc.update("INSERT INTO quota_usages (id, tenant_id, resource, in_use, reserved, created, updated) "
                + "VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (tenant_id, resource) DO NOTHING",
                UUID.randomUUID().toString(), tenant, resource, inUse, now, now);
    }
}
