package org.trovej.api.mgmt;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.ProjectIds;
import org.trovej.api.error.ApiException;
import org.trovej.service.quota.QuotaService;

/**
 * {@code /v1.0/{project}/mgmt/quotas/{tenant}} (trove/extensions/mgmt/quota): show a project's usage, reservations
 * and limits (its own project, or any as admin; else 403 as Trove's TroveOperationAuthError), and set limits
 * (admin only: 401; 200 with the limits set).
 */
@RestController
@RequestMapping("/v1.0/{projectId}/mgmt/quotas/{tenantId}")
public class MgmtQuotaController {

    private final QuotaService quotas;

    public MgmtQuotaController(QuotaService quotas) {
        this.quotas = quotas;
    }

    public record Row(String resource, int in_use, int reserved, int limit) {
    }

    @GetMapping
    public Map<String, List<Row>> show(AuthContext caller, @PathVariable String tenantId) {
        if (!tenantId.equals(caller.projectId()) && !caller.admin()) {
            throw ApiException.forbidden("Operation not allowed for tenant " + caller.projectId() + ".");
        }
        ProjectIds.require(tenantId, "tenant id");
        return Map.of("quotas", quotas.usages(tenantId).stream()
                .map(u -> new Row(u.resource(), u.inUse(), u.reserved(), u.limit())).toList());
    }

    @PutMapping
    public Map<String, Map<String, Integer>> update(AuthContext caller, @PathVariable String tenantId,
                                                    @RequestBody(required = false) JsonNode body) {
        AdminOnly.require(caller);
        ProjectIds.require(tenantId, "tenant id");
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ApiException.badRequest("Invalid request body.");
        }
        JsonNode requested = body.get("quotas");
        if (requested == null || !requested.isObject()) {
            throw ApiException.badRequest("Invalid request body: 'quotas' must be an object of resource limits.");
        }
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = requested.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                limits.put(entry.getKey(), null);
            } else if (value.isIntegralNumber() && value.canConvertToInt()) {
                limits.put(entry.getKey(), value.intValue());
            } else if (value.isTextual() && value.textValue().matches("-?[0-9]{1,9}")) {
                // troveclient sends the command line's value as given
                limits.put(entry.getKey(), Integer.parseInt(value.textValue()));
            } else {
                throw ApiException.badRequest("Quota limit '" + value.asText() + "' for '" + entry.getKey()
                        + "' is not an integer.");
            }
        }
        return Map.of("quotas", quotas.update(tenantId, limits));
    }
}
