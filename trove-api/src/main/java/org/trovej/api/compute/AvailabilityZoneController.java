package org.trovej.api.compute;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.web.Timestamps;

/**
 * Nova's {@code /os-availability-zone}: the local back end has one host and so one zone, {@link #ZONE}, always
 * available. Horizon's {@code availability_zone_list} (trove-dashboard's launch form keeps the zones whose
 * {@code zoneState.available} is true) reads the plain list; its admin pages read the detail.
 */
@OnLocalBackend
@RestController
@RequestMapping(ComputePaths.API + "/os-availability-zone")
class AvailabilityZoneController {

    /** Nova's default zone name, the one a server without a requested zone is in. */
    static final String ZONE = "nova";

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Zone(String zoneName, Map<String, Boolean> zoneState, Map<String, Map<String, ServiceState>> hosts) {
    }

    record ServiceState(boolean available, boolean active, @JsonProperty("updated_at") String updatedAt) {
    }

    private final ComputeCallers callers;

    AvailabilityZoneController(ComputeCallers callers) {
        this.callers = callers;
    }

    /** Without hosts ({@code null}, as Nova writes it for the non-detailed list). */
    @GetMapping
    Map<String, List<Zone>> index(HttpServletRequest request) {
        callers.caller(request);
        return Map.of("availabilityZoneInfo", List.of(new Zone(ZONE, Map.of("available", true), null)));
    }

    /** With this host's compute service; Nova restricts the detail to admins. */
    @GetMapping("/detail")
    Map<String, List<Zone>> detail(HttpServletRequest request) {
        if (!callers.caller(request).admin()) {
            throw ComputeException.policy("os_compute_api:os-availability-zone:detail");
        }
        String now = Timestamps.format(LocalDateTime.now(java.time.ZoneOffset.UTC));
        Map<String, Map<String, ServiceState>> hosts = Map.of(hostName(),
                Map.of("nova-compute", new ServiceState(true, true, now)));
        return Map.of("availabilityZoneInfo", List.of(new Zone(ZONE, Map.of("available", true), hosts)));
    }

    static String hostName() {
        String name = System.getenv("HOSTNAME");
        return name == null || name.isBlank() ? "localhost" : name;
    }
}
