package org.trovej.api.flavor;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.error.ApiException;
import org.trovej.api.web.Links;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * {@code /v1.0/{project}/flavors}: the compute flavors, open to every project and not paginated. An unknown
 * flavor here is 404 (where create and resize say 400).
 */
@RestController
@RequestMapping("/v1.0/{projectId}/flavors")
public class FlavorController {

    private final FlavorCatalog flavors;
    private final Policy policy;

    public FlavorController(FlavorCatalog flavors, Policy policy) {
        this.flavors = flavors;
        this.policy = policy;
    }

    @GetMapping
    public FlavorViews.FlavorList index(AuthContext caller, HttpServletRequest request) {
        policy.enforce(caller, "flavor:index", caller.projectId());
        return FlavorViews.list(flavors.list(), Links.of(request, caller.projectId()));
    }

    @GetMapping("/{id}")
    public FlavorViews.FlavorShow show(AuthContext caller, HttpServletRequest request, @PathVariable String id) {
        policy.enforce(caller, "flavor:show", caller.projectId());
        return new FlavorViews.FlavorShow(flavors.find(id).map(f -> FlavorViews.view(f, Links.of(request,
                caller.projectId()))).orElseThrow(() -> ApiException.resourceNotFound(id)));
    }
}
