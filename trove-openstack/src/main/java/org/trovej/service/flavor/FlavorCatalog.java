package org.trovej.service.flavor;

import java.util.List;
import java.util.Optional;

import org.trovej.common.flavor.Flavor;

/** The flavors instances can be created with: from configuration locally, from Nova on OpenStack. */
public interface FlavorCatalog {

    List<Flavor> list();

    Optional<Flavor> find(String id);
}
