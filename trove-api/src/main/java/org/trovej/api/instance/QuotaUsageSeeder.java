package org.trovej.api.instance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.backup.BackupRepository;
import org.trovej.api.backup.ProjectBackups;
import org.trovej.service.quota.QuotaResources;
import org.trovej.service.quota.QuotaService;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * Counts what existed before quotas were tracked: at start-up, before the API takes requests, a project with
 * live instances (or backups) but no usage row for a resource gets one with what those records use (instances,
 * their flavors' RAM, their volumes' GB; backups). Rows that exist are never touched, so this runs once per
 * project and resource and is safe to run in several API processes at once. It lives here, beside the records it
 * counts, because quota must not depend on instances (instances reserve quota).
 */
@Component
class QuotaUsageSeeder implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(QuotaUsageSeeder.class);

    private final InstanceRepository instances;
    private final BackupRepository backups;
    private final QuotaService quotas;
    private final TransactionTemplate tx;
    private final FlavorCatalog flavors;

    QuotaUsageSeeder(InstanceRepository instances, BackupRepository backups, QuotaService quotas,
                     TransactionTemplate tx, FlavorCatalog flavors) {
        this.instances = instances;
        this.backups = backups;
        this.quotas = quotas;
        this.tx = tx;
        this.flavors = flavors;
    }

    @Override
    public void afterSingletonsInstantiated() {
        tx.executeWithoutResult(s -> seed());
    }

    void seed() {
        Set<String> tracked = quotas.trackedProjects(QuotaResources.INSTANCES);
        Map<String, int[]> used = new LinkedHashMap<>();
        for (InstanceUsage usage : instances.liveUsageByProjectAndFlavor()) {
            if (tracked.contains(usage.tenantId())) {
                continue;
            }
            int[] sums = used.computeIfAbsent(usage.tenantId(), t -> new int[3]);
            int n = (int) usage.instances();
            int ram = flavors.find(usage.flavorId()).map(f -> f.ram()).orElse(0);
            sums[0] += n;
            sums[1] += n * ram;
            sums[2] += (int) usage.volumeGb();
        }
        used.forEach((tenant, sums) -> {
            quotas.trackExisting(tenant, QuotaResources.INSTANCES, sums[0]);
            quotas.trackExisting(tenant, QuotaResources.RAM, sums[1]);
            quotas.trackExisting(tenant, QuotaResources.VOLUMES, sums[2]);
        });
        Set<String> trackedBackups = quotas.trackedProjects(QuotaResources.BACKUPS);
        Map<String, Integer> backedUp = new LinkedHashMap<>();
        for (ProjectBackups project : backups.liveCountByProject()) {
            if (!trackedBackups.contains(project.tenantId())) {
                backedUp.put(project.tenantId(), (int) project.backups());
            }
        }
        backedUp.forEach((tenant, n) -> quotas.trackExisting(tenant, QuotaResources.BACKUPS, n));
        if (!used.isEmpty() || !backedUp.isEmpty()) {
            log.info("Quota usage counted from existing records for {} projects", used.size() + backedUp.size());
        }
    }
}
