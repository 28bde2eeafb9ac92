package org.trovej.api.limits;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Trove's in-memory Limiter: each project gets its own copy of the limits (POST, PUT, DELETE, GET on everything,
 * and POST on the management API), each a per-minute leaky bucket. A request is checked against every limit of
 * its project; when one is full the shortest delay wins. In memory, per API process, as in Trove.
 */
@Component
public class RateLimiter {

    /** A refusal: seconds until a request of this kind is taken again, and which limit refused it. */
    public record Delay(double seconds, String details) {
    }

    private final RateLimitProperties properties;
    private final Map<String, List<RateLimit>> levels = new ConcurrentHashMap<>();

    public RateLimiter(RateLimitProperties properties) {
        this.properties = properties;
    }

    public boolean enabled() {
        return properties.enabled();
    }

    private List<RateLimit> defaults() {
        return List.of(
                new RateLimit("POST", "*", ".*", properties.post(), RateLimit.PER_MINUTE),
                new RateLimit("PUT", "*", ".*", properties.put(), RateLimit.PER_MINUTE),
                new RateLimit("DELETE", "*", ".*", properties.delete(), RateLimit.PER_MINUTE),
                new RateLimit("GET", "*", ".*", properties.get(), RateLimit.PER_MINUTE),
                new RateLimit("POST", "*/mgmt", "^/mgmt", properties.mgmtPost(), RateLimit.PER_MINUTE));
    }

    private List<RateLimit> of(String projectId) {
        return levels.computeIfAbsent(projectId, p -> defaults());
    }

    /**
     * @param path the request's path below {@code /v1.0/{project}} ({@code /instances}, {@code /mgmt/...})
     * @return null when the request may go on
     */
    public Delay check(String projectId, String verb, String path) {
        List<RateLimit> limits = of(projectId);
        double now = System.currentTimeMillis() / 1000.0;
        Delay shortest = null;
        synchronized (limits) {
            for (RateLimit limit : limits) {
                Double delay = limit.record(verb, path, now);
                if (delay != null && (shortest == null || delay < shortest.seconds())) {
                    shortest = new Delay(delay, limit.errorMessage());
                }
            }
        }
        return shortest;
    }

    /** The rate entries of {@code GET /limits}, as Trove's LimitView shows them. */
    public List<Map<String, Object>> show(String projectId) {
        List<RateLimit> limits = of(projectId);
        double now = System.currentTimeMillis() / 1000.0;
        List<Map<String, Object>> shown = new ArrayList<>();
        synchronized (limits) {
            for (RateLimit limit : limits) {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("nextAvailable", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
                        .format(Instant.ofEpochSecond(limit.resetTime(now)).atZone(ZoneOffset.UTC)));
                view.put("remaining", limit.remaining());
                view.put("unit", limit.unitName());
                view.put("value", limit.value);
                view.put("verb", limit.verb);
                view.put("uri", limit.uri);
                view.put("regex", limit.regex);
                shown.add(view);
            }
        }
        return shown;
    }
}
