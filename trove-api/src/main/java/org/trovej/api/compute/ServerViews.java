package org.trovej.api.compute;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.trovej.api.instance.Instance;
import org.trovej.api.web.Link;
import org.trovej.api.web.Timestamps;

/**
 * An instance's server in Nova's 2.1 shapes: the list entry ({@code id, links, name}) and the detail, with the
 * keys Nova's schema allows (tempest validates against {@code api_schema/response/compute/v2_1/servers.py}, which
 * refuses any other) and the extensions Nova always adds (availability zone, extended status, usage, volumes).
 * Maps rather than records: some keys are written as null and others left out, as Nova does.
 */
final class ServerViews {

    /** Nova's states that show a progress. */
    private static final Set<String> PROGRESS = Set.of("ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE",
            "MIGRATING");

    private ServerViews() {
    }

    static Map<String, Object> summary(HttpServletRequest request, Instance i) {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("id", i.getComputeInstanceId());
        server.put("links", ComputePaths.links(request, "servers", i.getComputeInstanceId()));
        server.put("name", i.getName());
        return server;
    }

    static Map<String, Object> detail(HttpServletRequest request, Instance i) {
        String status = status(i);
        String host = AvailabilityZoneController.hostName();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("id", i.getComputeInstanceId());
        server.put("name", i.getName());
        server.put("status", status);
        server.put("tenant_id", i.getTenantId());
        // TroveJ does not record who created an instance; Nova's schema wants a string
        server.put("user_id", "");
        server.put("metadata", Map.of());
        server.put("hostId", hostId(i.getTenantId(), host));
        // database instances boot from their image by datastore version; Nova writes "" for a server without one
        server.put("image", "");
        server.put("flavor", Map.of("id", i.getFlavorId(), "links",
                List.of(new Link(ComputePaths.base(request) + "/flavors/" + i.getFlavorId(), "bookmark"))));
        server.put("created", zulu(i.getCreated()));
        server.put("updated", zulu(i.getUpdated() == null ? i.getCreated() : i.getUpdated()));
        server.put("addresses", addresses(i.getAddresses()));
        server.put("accessIPv4", "");
        server.put("accessIPv6", "");
        server.put("links", ComputePaths.links(request, "servers", i.getComputeInstanceId()));
        server.put("OS-DCF:diskConfig", "MANUAL");
        if (PROGRESS.contains(status)) {
            server.put("progress", 0);
        }
        server.put("OS-EXT-AZ:availability_zone", i.getAvailabilityZone() == null ? AvailabilityZoneController.ZONE
                : i.getAvailabilityZone());
        server.put("config_drive", "");
        server.put("key_name", null);
        server.put("OS-SRV-USG:launched_at", status.equals("BUILD") ? null
                : Timestamps.format(i.getCreated()) + ".000000");
        server.put("OS-SRV-USG:terminated_at", null);
        server.put("security_groups", List.of(Map.of("name", "default")));
        server.put("OS-EXT-STS:task_state", null);
        server.put("OS-EXT-STS:vm_state", vmState(status));
        server.put("OS-EXT-STS:power_state", powerState(status));
        server.put("os-extended-volumes:volumes_attached",
                i.getVolumeId() == null ? List.of() : List.of(Map.of("id", i.getVolumeId())));
        return server;
    }

    /** The stored server status in Nova's words: the local back end's SHUTDOWN is Nova's SHUTOFF. */
    static String status(Instance i) {
        String stored = i.getServerStatus();
        if (stored == null) {
            return "BUILD";
        }
        String status = stored.toUpperCase();
        return status.equals("SHUTDOWN") ? "SHUTOFF" : status;
    }

    static String vmState(String status) {
        return switch (status) {
            case "BUILD" -> "building";
            case "ERROR" -> "error";
            case "SHUTOFF" -> "stopped";
            case "DELETED" -> "deleted";
            case "VERIFY_RESIZE" -> "resized";
            case "PAUSED" -> "paused";
            case "SUSPENDED" -> "suspended";
            default -> "active";
        };
    }

    /** Nova's power states: 1 running, 4 shutdown, 0 no state. */
    static int powerState(String status) {
        return switch (status) {
            case "ACTIVE", "REBOOT", "HARD_REBOOT", "RESIZE", "VERIFY_RESIZE", "MIGRATING" -> 1;
            case "SHUTOFF" -> 4;
            default -> 0;
        };
    }

    /**
     * Nova's {@code {"<network>": [{"version", "addr", "OS-EXT-IPS:type"}]}} from the stored
     * {@code [{"address", "type", "network"}]}: every address the back end allocates is a fixed one.
     */
    static Map<String, List<Map<String, Object>>> addresses(List<Map<String, Object>> stored) {
        Map<String, List<Map<String, Object>>> networks = new LinkedHashMap<>();
        if (stored == null) {
            return networks;
        }
        for (Map<String, Object> a : stored) {
            Object address = a.get("address");
            if (address == null) {
                continue;
            }
            Object network = a.get("network");
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("version", address.toString().contains(":") ? 6 : 4);
            entry.put("addr", address.toString());
            entry.put("OS-EXT-IPS:type", "fixed");
            networks.computeIfAbsent(network == null ? "private" : network.toString(), n -> new ArrayList<>())
                    .add(entry);
        }
        return networks;
    }

    /** Nova's {@code hostId}: a project's opaque name for the host (sha224 of project and host). */
    static String hostId(String project, String host) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-224")
                    .digest(((project == null ? "" : project) + host).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-224 is a standard algorithm", e);
        }
    }

    private static String zulu(java.time.LocalDateTime time) {
        return time == null ? null : Timestamps.format(time) + "Z";
    }
}
