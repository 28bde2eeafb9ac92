package org.trovej.service.openstack;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.trovej.common.flavor.Flavor;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * Flavors as Nova has them (Trove's API reads them from Nova too). The list is kept for
 * {@code trovej.openstack.flavor-cache-ttl} so that listing and creating instances do not cost a Nova round trip
 * each; a flavor not in the kept list is looked up in Nova before it is called unknown.
 */
public class NovaFlavorCatalog implements FlavorCatalog {

    private final CloudCalls cloud;
    private final OpenStackProperties properties;
    private final Clock clock;
    private List<Flavor> cached;
    private Instant cachedAt;

    public NovaFlavorCatalog(CloudCalls cloud, OpenStackProperties properties, Clock clock) {
        this.cloud = cloud;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public synchronized List<Flavor> list() {
        Instant now = clock.instant();
        if (cached == null || cachedAt.plus(properties.flavorCacheTtl()).isBefore(now)) {
            cached = cloud.call("list flavors", os -> os.compute().flavors().list(true)).stream()
                    .filter(f -> !f.isDisabled())
                    .map(NovaFlavorCatalog::toFlavor)
                    .sorted(Comparator.comparing(Flavor::ram).thenComparing(Flavor::id))
                    .toList();
            cachedAt = now;
        }
        return cached;
    }

    @Override
    public Optional<Flavor> find(String id) {
        Optional<Flavor> known = list().stream().filter(f -> f.id().equals(id)).findFirst();
        if (known.isPresent()) {
            return known;
        }
        // created in Nova since the list was read, or private to the project
        return Optional.ofNullable(cloud.call("show flavor " + id, os -> os.compute().flavors().get(id)))
                .map(NovaFlavorCatalog::toFlavor);
    }

    private static Flavor toFlavor(org.openstack4j.model.compute.Flavor f) {
        return new Flavor(f.getId(), f.getName(), f.getRam(), f.getVcpus(), f.getDisk(), f.getEphemeral());
    }
}
