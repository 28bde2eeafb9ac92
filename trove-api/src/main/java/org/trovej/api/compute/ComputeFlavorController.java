package org.trovej.api.compute;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.web.Link;
import org.trovej.common.flavor.Flavor;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * Nova's {@code /flavors} over the flavors TroveJ creates instances with (its {@link FlavorCatalog}): Horizon's
 * {@code api.nova.flavor_list}/{@code flavor_get} (novaclient: GET /flavors/detail, /flavors/{id},
 * /flavors/{id}/os-extra_specs) and trove-dashboard's flavor names. All of them are public and enabled, without
 * swap or extra specs. Read-only: flavors are configuration here.
 */
@OnLocalBackend
@RestController
@RequestMapping(ComputePaths.API + "/flavors")
class ComputeFlavorController {

    record FlavorSummary(String id, String name, List<Link> links) {
    }

    /** The 2.1 detail: {@code swap} is "" when there is none, as Nova writes it before 2.75. */
    record FlavorDetail(String id, String name, int ram, int vcpus, int disk,
                        @JsonProperty("OS-FLV-EXT-DATA:ephemeral") int ephemeral,
                        @JsonProperty("OS-FLV-DISABLED:disabled") boolean disabled,
                        @JsonProperty("os-flavor-access:is_public") boolean isPublic,
                        String swap, @JsonProperty("rxtx_factor") double rxtxFactor, List<Link> links) {
    }

    private final FlavorCatalog flavors;
    private final ComputeCallers callers;

    ComputeFlavorController(FlavorCatalog flavors, ComputeCallers callers) {
        this.flavors = flavors;
        this.callers = callers;
    }

    @GetMapping
    Map<String, List<FlavorSummary>> index(HttpServletRequest request, @RequestParam Map<String, String> query) {
        callers.caller(request);
        return Map.of("flavors", selected(query).stream()
                .map(f -> new FlavorSummary(f.id(), f.name(), links(request, f))).toList());
    }

    @GetMapping("/detail")
    Map<String, List<FlavorDetail>> detail(HttpServletRequest request, @RequestParam Map<String, String> query) {
        callers.caller(request);
        return Map.of("flavors", selected(query).stream().map(f -> detail(request, f)).toList());
    }

    @GetMapping("/{id}")
    Map<String, FlavorDetail> show(HttpServletRequest request, @PathVariable String id) {
        callers.caller(request);
        return Map.of("flavor", detail(request, find(id)));
    }

    /** Horizon asks for them with {@code get_extras}; TroveJ's flavors have none. */
    @GetMapping("/{id}/os-extra_specs")
    Map<String, Map<String, String>> extraSpecs(HttpServletRequest request, @PathVariable String id) {
        callers.caller(request);
        find(id);
        return Map.of("extra_specs", Map.of());
    }

    private Flavor find(String id) {
        return flavors.find(id).orElseThrow(() -> ComputeException.flavorNotFound(id));
    }

    /**
     * Nova's filters that matter for public flavors: {@code minRam}, {@code minDisk}, and {@code is_public}
     * (false asks for the private ones: none); ordered by id, Nova's default sort.
     */
    private List<Flavor> selected(Map<String, String> query) {
        if (isFalse(query.get("is_public"))) {
            return List.of();
        }
        int minRam = number(query, "minRam");
        int minDisk = number(query, "minDisk");
        Predicate<Flavor> wanted = f -> f.ram() >= minRam && f.disk() >= minDisk;
        return flavors.list().stream().filter(wanted).sorted(Comparator.comparing(Flavor::id)).toList();
    }

    private static boolean isFalse(String value) {
        return value != null && List.of("0", "f", "false", "off", "n", "no").contains(value.trim().toLowerCase());
    }

    private static int number(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ComputeException.badRequest("Invalid " + name + " filter [" + value + "]");
        }
    }

    private static FlavorDetail detail(HttpServletRequest request, Flavor f) {
        return new FlavorDetail(f.id(), f.name(), f.ram(), f.vcpus(), f.disk(), f.ephemeral(), false, true, "", 1.0,
                links(request, f));
    }

    private static List<Link> links(HttpServletRequest request, Flavor f) {
        return ComputePaths.links(request, "flavors", f.id());
    }
}
