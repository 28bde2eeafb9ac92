package org.trovej.service.flavor;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.trovej.common.flavor.Flavor;

/**
 * The configured flavors, {@code trovej.flavors[n].id/name/ram/vcpus/disk/ephemeral}. Without any, Nova's
 * classic m1.* set plus a few small ones that suit a local PostgreSQL.
 */
@ConfigurationProperties(prefix = "trovej")
public record FlavorSettings(List<Flavor> flavors) {

    static final List<Flavor> DEFAULTS = List.of(
            new Flavor("1", "m1.tiny", 512, 1, 1, 0),
            new Flavor("2", "m1.small", 2048, 1, 20, 0),
            new Flavor("3", "m1.medium", 4096, 2, 40, 0),
            new Flavor("4", "m1.large", 8192, 4, 80, 0),
            new Flavor("5", "m1.xlarge", 16384, 8, 160, 0),
            // Trove's devstack flavors, sized for one small database each
            new Flavor("d1", "ds512M", 512, 1, 5, 0),
            new Flavor("d2", "ds1G", 1024, 1, 10, 0),
            new Flavor("d3", "ds2G", 2048, 2, 10, 0));

    public FlavorSettings {
        flavors = flavors == null || flavors.isEmpty() ? DEFAULTS : List.copyOf(flavors);
        long distinct = flavors.stream().map(Flavor::id).distinct().count();
        if (distinct != flavors.size()) {
            throw new IllegalArgumentException("trovej.flavors: flavor ids must be unique");
        }
    }
}
