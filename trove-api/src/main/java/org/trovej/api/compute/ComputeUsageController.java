package org.trovej.api.compute;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.instance.Instance;
import org.trovej.api.instance.InstanceRepository;
import org.trovej.common.flavor.Flavor;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * Nova's {@code os-simple-tenant-usage} at microversion 2.1: what each project's servers used over a period, in
 * hours, vCPU-hours, MB-hours and GB-hours of their flavors. Horizon's Overview page, where a user lands after
 * logging in, asks for the user's project ({@code usage_get}); its admin Overview for all ({@code usage_list}).
 * A server counts from its instance's creation to its deletion, cut to the period.
 */
@OnLocalBackend
@RestController
class ComputeUsageController {

    private static final String PREFIX = ComputePaths.API + "/os-simple-tenant-usage";

    private final InstanceRepository instances;
    private final FlavorCatalog flavors;
    private final ComputeCallers callers;
    private final Clock clock;

    ComputeUsageController(InstanceRepository instances, FlavorCatalog flavors, ComputeCallers callers) {
        this.instances = instances;
        this.flavors = flavors;
        this.callers = callers;
        this.clock = Clock.systemUTC();
    }

    @GetMapping(PREFIX + "/{tenantId}")
    @Transactional(readOnly = true)
    Map<String, Object> show(HttpServletRequest request, @PathVariable String tenantId,
                             @RequestParam(required = false) String start,
                             @RequestParam(required = false) String end) {
        AuthContext caller = callers.caller(request);
        // as Nova's policy: a project's own usage, or any project's for an admin
        if (!caller.admin() && !caller.projectId().equals(tenantId)) {
            throw ComputeException.policy("os_compute_api:os-simple-tenant-usage:show");
        }
        Period period = Period.of(start, end, LocalDateTime.now(clock));
        List<Instance> servers = instances.withServersBetween(tenantId, period.start(), period.end());
        Map<String, Object> usage = servers.isEmpty() ? Map.of() : usage(tenantId, servers, period, true);
        return Map.of("tenant_usage", usage);
    }

    @GetMapping(PREFIX)
    @Transactional(readOnly = true)
    Map<String, Object> index(HttpServletRequest request, @RequestParam(required = false) String start,
                              @RequestParam(required = false) String end,
                              @RequestParam(required = false) String detailed) {
        AuthContext caller = callers.caller(request);
        if (!caller.admin()) {
            throw ComputeException.policy("os_compute_api:os-simple-tenant-usage:list");
        }
        Period period = Period.of(start, end, LocalDateTime.now(clock));
        Map<String, List<Instance>> byProject = new LinkedHashMap<>();
        for (Instance i : instances.withServersBetween(null, period.start(), period.end())) {
            byProject.computeIfAbsent(i.getTenantId(), k -> new ArrayList<>()).add(i);
        }
        boolean withServers = detailed != null && !detailed.equals("0") && !detailed.equalsIgnoreCase("false");
        List<Map<String, Object>> usages = new ArrayList<>();
        byProject.forEach((project, servers) -> usages.add(usage(project, servers, period, withServers)));
        return Map.of("tenant_usages", usages);
    }

    private Map<String, Object> usage(String tenantId, List<Instance> servers, Period period, boolean withServers) {
        double totalHours = 0;
        double vcpuHours = 0;
        double memoryHours = 0;
        double diskHours = 0;
        List<Map<String, Object>> serverUsages = new ArrayList<>();
        LocalDateTime now = LocalDateTime.now(clock);
        for (Instance i : servers) {
            Flavor flavor = flavors.find(i.getFlavorId()).orElse(null);
            LocalDateTime ended = i.isDeleted() ? i.getDeletedAt() : null;
            LocalDateTime from = i.getCreated().isAfter(period.start()) ? i.getCreated() : period.start();
            LocalDateTime to = ended != null && ended.isBefore(period.end()) ? ended : period.end();
            double hours = Math.max(0, Duration.between(from, to).toMillis()) / 3_600_000.0;
            int vcpus = flavor == null ? 0 : flavor.vcpus();
            int ram = flavor == null ? 0 : flavor.ram();
            int disk = flavor == null ? 0 : flavor.disk();
            totalHours += hours;
            vcpuHours += hours * vcpus;
            memoryHours += hours * ram;
            diskHours += hours * disk;
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("instance_id", i.getComputeInstanceId());
            s.put("name", i.getName());
            s.put("hours", hours);
            s.put("memory_mb", ram);
            s.put("local_gb", disk);
            s.put("vcpus", vcpus);
            s.put("tenant_id", i.getTenantId());
            s.put("flavor", flavor == null ? i.getFlavorId() : flavor.name());
            s.put("started_at", timestamp(i.getCreated()));
            s.put("ended_at", ended == null ? null : timestamp(ended));
            s.put("state", ended == null ? "active" : "terminated");
            s.put("uptime", Duration.between(i.getCreated(), ended == null ? now : ended).toSeconds());
            serverUsages.add(s);
        }
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("tenant_id", tenantId);
        usage.put("total_local_gb_usage", diskHours);
        usage.put("total_vcpus_usage", vcpuHours);
        usage.put("total_memory_mb_usage", memoryHours);
        usage.put("total_hours", totalHours);
        usage.put("start", timestamp(period.start()));
        usage.put("stop", timestamp(period.end()));
        if (withServers) {
            usage.put("server_usages", serverUsages);
        }
        return usage;
    }

    /** Nova's form: microseconds, no zone (UTC). */
    private static String timestamp(LocalDateTime t) {
        return t.truncatedTo(ChronoUnit.MICROS).toString();
    }

    /** The reported period; as Nova, a missing end is now and a missing start is the end. */
    record Period(LocalDateTime start, LocalDateTime end) {

        static Period of(String start, String end, LocalDateTime now) {
            LocalDateTime stop = end == null || end.isBlank() ? now : parse(end, "end");
            LocalDateTime begin = start == null || start.isBlank() ? stop : parse(start, "start");
            if (begin.isAfter(stop)) {
                throw ComputeException.badRequest("Invalid start time. The start time cannot occur after the end "
                        + "time.");
            }
            return new Period(begin, stop);
        }

        /**
         * novaclient sends Python's isoformat() unencoded: with or without microseconds, with or without an offset,
         * whose "+" arrives as a space.
         */
        private static LocalDateTime parse(String text, String which) {
            String t = text.trim().replaceFirst("(T\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?) (\\d\\d:?\\d\\d)$", "$1+$4")
                    .replaceFirst(" ", "T");
            try {
                if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                    return OffsetDateTime.parse(t.endsWith("Z") ? t : t.replaceAll("([+-]\\d\\d)(\\d\\d)$", "$1:$2"))
                            .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
                }
                return LocalDateTime.parse(t);
            } catch (DateTimeParseException e) {
                throw ComputeException.badRequest("Invalid " + which + " time. The " + which
                        + " time must be in the format %Y-%m-%dT%H:%M:%S or %Y-%m-%dT%H:%M:%S.%f.");
            }
        }
    }
}
