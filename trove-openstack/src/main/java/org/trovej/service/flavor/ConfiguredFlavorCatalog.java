package org.trovej.service.flavor;

import java.util.List;
import java.util.Optional;

import org.trovej.common.flavor.Flavor;

/** The flavors of {@link FlavorSettings}: the local back end's catalog. */
public class ConfiguredFlavorCatalog implements FlavorCatalog {

    private final List<Flavor> flavors;

    public ConfiguredFlavorCatalog(FlavorSettings settings) {
        this.flavors = settings.flavors();
    }

    @Override
    public List<Flavor> list() {
        return flavors;
    }

    @Override
    public Optional<Flavor> find(String id) {
        return flavors.stream().filter(f -> f.id().equals(id)).findFirst();
    }
}
