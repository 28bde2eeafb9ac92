package org.trovej.api.root;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.common.guest.GuestUser;
import org.trovej.api.web.RequestIdFilter;

/** {@code /v1.0/{project}/instances/{id}/root}: show 200, enable 200 with the root user, disable 204. */
@RestController
@RequestMapping("/v1.0/{projectId}/instances/{instanceId}/root")
public class RootController {

    private final RootService root;

    public RootController(RootService root) {
        this.root = root;
    }

    @GetMapping
    public RootViews.RootEnabled show(AuthContext caller, @PathVariable String instanceId) {
        return new RootViews.RootEnabled(root.enabled(caller, instanceId));
    }

    @PostMapping
    public RootViews.RootCreated enable(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                        @RequestBody(required = false) JsonNode body) {
        GuestUser user = root.enable(caller, instanceId, body, RequestIdFilter.requestId(request));
        return new RootViews.RootCreated(new RootViews.RootUser(user.name(), user.password()));
    }

    @DeleteMapping
    public ResponseEntity<Void> disable(AuthContext caller, HttpServletRequest request,
                                        @PathVariable String instanceId) {
        root.disable(caller, instanceId, RequestIdFilter.requestId(request));
        return ResponseEntity.noContent().build();
    }
}
