package org.trovej.api.flavor;

import java.math.BigInteger;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.trovej.api.web.Link;
import org.trovej.api.web.Links;
import org.trovej.common.flavor.Flavor;

/** Trove's flavor view (trove/flavor/views.py). */
public final class FlavorViews {

    private FlavorViews() {
    }

    /**
     * @param id    the flavor id as a number when it is a plain one (digits, no leading zero), else null: clients
     *              then use {@code str_id}
     * @param strId the compute flavor id as it is
     */
    public record FlavorView(BigInteger id, List<Link> links, String name, int ram, int vcpus, int disk,
                             int ephemeral, @JsonProperty("str_id") String strId) {
    }

    public record FlavorList(List<FlavorView> flavors) {
    }

    public record FlavorShow(FlavorView flavor) {
    }

    public static FlavorView view(Flavor flavor, Links links) {
        return new FlavorView(numericId(flavor.id()), links.resource("flavors", flavor.id()), flavor.name(),
                flavor.ram(), flavor.vcpus(), flavor.disk(), flavor.ephemeral(), flavor.id());
    }

    public static FlavorList list(List<Flavor> flavors, Links links) {
        return new FlavorList(flavors.stream().map(f -> view(f, links)).toList());
    }

    static BigInteger numericId(String id) {
        boolean digits = !id.isEmpty() && id.chars().allMatch(c -> c >= '0' && c <= '9');
        return digits && !id.startsWith("0") ? new BigInteger(id) : null;
    }
}
