package org.trovej.api.instance;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.web.Link;
import org.trovej.api.web.Links;
import org.trovej.api.web.NextPage;
import org.trovej.api.web.RequestIdFilter;
import org.trovej.common.json.PythonJson;

/**
 * {@code /v1.0/{project}/instances}. Status codes are Trove's: create answers 200 with the new instance, every
 * change 202 without a body. Bodies are read as JSON trees and checked against Trove's schemas by the services,
 * so a malformed field gets Trove's validation message rather than a binding error.
 */
@RestController
@RequestMapping("/v1.0/{projectId}/instances")
public class InstanceController {

    private final InstanceQueryService queries;
    private final InstanceCreateService creator;
    private final InstanceActionService actions;
    private final InstanceUpdateService updater;
    private final ActionDispatcher dispatcher;
    private final InstanceConfigurationService configurations;

    InstanceController(InstanceQueryService queries, InstanceCreateService creator,
                       InstanceActionService actions, InstanceUpdateService updater,
                       ActionDispatcher dispatcher, InstanceConfigurationService configurations) {
        this.configurations = configurations;
        this.queries = queries;
        this.creator = creator;
        this.actions = actions;
        this.updater = updater;
        this.dispatcher = dispatcher;
    }

    @GetMapping
    public InstanceViews.InstanceList index(AuthContext caller, HttpServletRequest request,
                                            @RequestParam(required = false) String limit,
                                            @RequestParam(required = false) String marker,
                                            @RequestParam(name = "include_clustered", required = false)
                                            String includeClustered) {
        return list(caller, request, limit, marker, includeClustered, false);
    }

    @GetMapping("/detail")
    public InstanceViews.InstanceList detail(AuthContext caller, HttpServletRequest request,
                                             @RequestParam(required = false) String limit,
                                             @RequestParam(required = false) String marker,
                                             @RequestParam(name = "include_clustered", required = false)
                                             String includeClustered) {
        return list(caller, request, limit, marker, includeClustered, true);
    }

    @PostMapping
    public InstanceViews.InstanceShow create(AuthContext caller, HttpServletRequest request,
                                             @RequestBody(required = false) JsonNode body) {
        InstanceViews.Loaded created = creator.create(caller, body == null ? PythonJson.object() : body,
                RequestIdFilter.requestId(request));
        return new InstanceViews.InstanceShow(InstanceViews.detail(created, links(request, caller), caller.admin()));
    }

    @GetMapping("/{id}")
    public InstanceViews.InstanceShow show(AuthContext caller, HttpServletRequest request, @PathVariable String id) {
        return new InstanceViews.InstanceShow(InstanceViews.detail(queries.show(caller, id), links(request, caller),
                caller.admin()));
    }

    @PutMapping("/{id}")
    public ResponseEntity<Void> update(AuthContext caller, HttpServletRequest request, @PathVariable String id,
                                       @RequestBody(required = false) JsonNode body) {
        updater.update(caller, id, body == null ? PythonJson.object() : body, false,
                RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    @PatchMapping("/{id}")
    public ResponseEntity<Void> edit(AuthContext caller, HttpServletRequest request, @PathVariable String id,
                                     @RequestBody(required = false) JsonNode body) {
        updater.update(caller, id, body == null ? PythonJson.object() : body, true,
                RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    /** The datastore's default configuration for the instance's flavor (Trove's DefaultConfigurationView). */
    @GetMapping("/{id}/configuration")
    public Map<String, Map<String, Map<String, String>>> configuration(AuthContext caller, @PathVariable String id) {
        return Map.of("instance", Map.of("configuration", configurations.defaults(caller, id)));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(AuthContext caller, HttpServletRequest request, @PathVariable String id) {
        actions.delete(caller, id, RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/{id}/action")
    public ResponseEntity<Void> action(AuthContext caller, HttpServletRequest request, @PathVariable String id,
                                       @RequestBody(required = false) JsonNode body) {
        dispatcher.dispatch(caller, id, body, RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    private InstanceViews.InstanceList list(AuthContext caller, HttpServletRequest request, String limit,
                                            String marker, String includeClustered, boolean detailed) {
        InstanceQueryService.Page page = queries.list(caller, limit, marker, "true".equalsIgnoreCase(includeClustered),
                detailed);
        Links links = links(request, caller);
        List<InstanceViews.InstanceView> views = page.items().stream()
                .map(l -> detailed ? InstanceViews.detail(l, links, caller.admin())
                        : InstanceViews.summary(l, links, caller.admin()))
                .toList();
        List<Link> next = page.nextMarker() == null ? null : NextPage.links(request, page.nextMarker());
        return new InstanceViews.InstanceList(views, next);
    }

    private static Links links(HttpServletRequest request, AuthContext caller) {
        return Links.of(request, caller.projectId());
    }
}
