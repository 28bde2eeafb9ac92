package org.trovej.api.limits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.service.quota.QuotaService;

/**
 * {@code GET /v1.0/{project}/limits} (trove/limits): the ABSOLUTE entry with the project's quota limits
 * ({@code max_instances}, {@code max_ram}, {@code max_backups}, {@code max_volumes}), then one entry per rate limit.
 */
@RestController
public class LimitsController {

    private final QuotaService quotas;
    private final RateLimiter rates;
    private final Policy policy;

    public LimitsController(QuotaService quotas, RateLimiter rates, Policy policy) {
        this.quotas = quotas;
        this.rates = rates;
        this.policy = policy;
    }

    @GetMapping("/v1.0/{projectId}/limits")
    public Map<String, List<Map<String, Object>>> index(AuthContext caller) {
        policy.enforce(caller, "limits:index", caller.projectId());
        List<Map<String, Object>> limits = new ArrayList<>();
        Map<String, Object> absolute = new LinkedHashMap<>();
        absolute.put("verb", "ABSOLUTE");
        quotas.limits(caller.projectId()).forEach((resource, limit) -> absolute.put("max_" + resource, limit));
        limits.add(absolute);
        limits.addAll(rates.show(caller.projectId()));
        return Map.of("limits", limits);
    }
}
