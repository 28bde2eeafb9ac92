package org.trovej.api.compute;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.instance.Instance;
import org.trovej.api.instance.InstanceRepository;

/**
 * Nova's {@code /servers} (read-only) over the instance records: each live instance with a server is one, its id
 * the instance's {@code compute_instance_id}. Horizon lists them ({@code server_list}: GET /servers/detail), and
 * trove-tempest-plugin's resize test asks for an instance's server by name with {@code all_tenants} as admin to
 * check its flavor. A caller sees its project's servers; an admin sees all with {@code all_tenants} and may show
 * any; another project's server is not found, as in Nova.
 */
@OnLocalBackend
@RestController
@RequestMapping(ComputePaths.API + "/servers")
class ServerController {

    private final InstanceRepository instances;
    private final ComputeCallers callers;

    ServerController(InstanceRepository instances, ComputeCallers callers) {
        this.instances = instances;
        this.callers = callers;
    }

    @GetMapping
    @Transactional(readOnly = true)
    Map<String, List<Map<String, Object>>> index(HttpServletRequest request,
                                                 @RequestParam Map<String, String> query) {
        return list(request, query, false, ServerViews::summary);
    }

    @GetMapping("/detail")
    @Transactional(readOnly = true)
    Map<String, List<Map<String, Object>>> detail(HttpServletRequest request,
                                                  @RequestParam Map<String, String> query) {
        return list(request, query, true, ServerViews::detail);
    }

    @GetMapping("/{id}")
    @Transactional(readOnly = true)
    Map<String, Map<String, Object>> show(HttpServletRequest request, @PathVariable String id) {
        AuthContext caller = callers.caller(request);
        Instance instance = instances.findFirstByComputeInstanceIdAndDeletedFalse(id)
                .filter(i -> caller.admin() || caller.projectId().equals(i.getTenantId()))
                .orElseThrow(() -> ComputeException.serverNotFound(id));
        return Map.of("server", ServerViews.detail(request, instance));
    }

    private Map<String, List<Map<String, Object>>> list(HttpServletRequest request, Map<String, String> query,
                                                        boolean detailed,
                                                        BiFunction<HttpServletRequest, Instance, Map<String, Object>>
                                                                view) {
        AuthContext caller = callers.caller(request);
        ServerFilter filter = ServerFilter.of(query);
        String project = caller.projectId();
        if (filter.allTenants()) {
            if (!caller.admin()) {
                throw ComputeException.policy("os_compute_api:servers:" + (detailed ? "detail" : "index")
                        + ":get_all_tenants");
            }
            // as Nova: with all_tenants an admin may still narrow to one project
            project = filter.project();
        }
        List<Instance> selected = filter.page(instances.withServers(project));
        return Map.of("servers", selected.stream().map(i -> view.apply(request, i)).toList());
    }
}
