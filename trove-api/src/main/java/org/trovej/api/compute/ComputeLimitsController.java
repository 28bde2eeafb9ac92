package org.trovej.api.compute;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.instance.Instance;
import org.trovej.api.instance.InstanceRepository;
import org.trovej.common.flavor.Flavor;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * Nova's {@code /limits} (Horizon's {@code tenant_absolute_limits}: the launch form's quota charts): what the
 * project's servers use, from their flavors. The local back end puts no compute quota on instances, cores or RAM
 * (-1, Nova's unlimited; Trove's own quotas still apply to instances); the other limits are Nova's defaults.
 */
@OnLocalBackend
@RestController
class ComputeLimitsController {

    private final InstanceRepository instances;
    private final FlavorCatalog flavors;
    private final ComputeCallers callers;

    ComputeLimitsController(InstanceRepository instances, FlavorCatalog flavors, ComputeCallers callers) {
        this.instances = instances;
        this.flavors = flavors;
        this.callers = callers;
    }

    @GetMapping(ComputePaths.API + "/limits")
    @Transactional(readOnly = true)
    Map<String, Map<String, Object>> limits(HttpServletRequest request,
                                            @RequestParam(name = "tenant_id", required = false) String tenantId) {
        AuthContext caller = callers.caller(request);
        // as Nova: only an admin may ask for another project's
        String project = tenantId != null && caller.admin() ? tenantId : caller.projectId();
        List<Instance> servers = instances.withServers(project);
        long cores = 0;
        long ram = 0;
        for (Instance i : servers) {
            Flavor flavor = flavors.find(i.getFlavorId()).orElse(null);
            if (flavor != null) {
                cores += flavor.vcpus();
                ram += flavor.ram();
            }
        }
        Map<String, Object> absolute = new LinkedHashMap<>();
        absolute.put("maxTotalInstances", -1);
        absolute.put("maxTotalCores", -1);
        absolute.put("maxTotalRAMSize", -1);
        absolute.put("totalInstancesUsed", servers.size());
        absolute.put("totalCoresUsed", cores);
        absolute.put("totalRAMUsed", ram);
        absolute.put("maxServerMeta", 128);
        absolute.put("maxPersonality", 5);
        absolute.put("maxPersonalitySize", 10240);
        absolute.put("maxImageMeta", 128);
        absolute.put("maxTotalKeypairs", 100);
        absolute.put("maxServerGroups", 10);
        absolute.put("maxServerGroupMembers", 10);
        absolute.put("totalServerGroupsUsed", 0);
        absolute.put("maxSecurityGroups", 10);
        absolute.put("maxSecurityGroupRules", 20);
        absolute.put("totalSecurityGroupsUsed", 0);
        absolute.put("maxTotalFloatingIps", 10);
        absolute.put("totalFloatingIpsUsed", 0);
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("rate", List.of());
        limits.put("absolute", absolute);
        return Map.of("limits", limits);
    }
}
