package org.trovej.service.quota;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Default per-project quotas under {@code trovej.quota} (Trove's {@code max_instances_per_tenant},
 * {@code max_volumes_per_tenant}, {@code max_backups_per_tenant}, {@code max_ram_per_tenant}), with Trove's
 * defaults. {@code -1} means unlimited. A project's own limits ({@code PUT /mgmt/quotas/{project}}) override them.
 *
 * @param instances instances a project may have
 * @param volumes   total volume size, GB
 * @param backups   backups a project may have
 * @param ram       total flavor RAM of a project's instances, MB
 */
@ConfigurationProperties(prefix = "trovej.quota")
public record QuotaProperties(Integer instances, Integer volumes, Integer backups, Integer ram) {

    public QuotaProperties {
        instances = instances == null ? 10 : instances;
        volumes = volumes == null ? 40 : volumes;
        backups = backups == null ? 50 : backups;
        ram = ram == null ? -1 : ram;
        if (instances < -1 || volumes < -1 || backups < -1 || ram < -1) {
            throw new IllegalArgumentException("trovej.quota: every default must be -1 (unlimited) or more");
        }
    }

    public int defaultFor(String resource) {
        return switch (resource) {
            case QuotaResources.INSTANCES -> instances;
            case QuotaResources.VOLUMES -> volumes;
            case QuotaResources.BACKUPS -> backups;
            case QuotaResources.RAM -> ram;
            default -> throw new IllegalArgumentException("no quota resource " + resource);
        };
    }
}
