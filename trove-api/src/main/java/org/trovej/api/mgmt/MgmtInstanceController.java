package org.trovej.api.mgmt;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.error.ApiException;
import org.trovej.api.instance.Instance;
import org.trovej.api.instance.InstanceActionService;
import org.trovej.api.instance.InstanceQueryService;
import org.trovej.api.instance.InstanceViews;
import org.trovej.api.root.RootService;
import org.trovej.api.validation.PythonRepr;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;
import org.trovej.api.web.Links;
import org.trovej.api.web.NextPage;
import org.trovej.api.web.RequestIdFilter;
import org.trovej.api.web.Timestamps;

/**
 * {@code /v1.0/{project}/mgmt/instances} (trove/extensions/mgmt/instances), admins only (401): every project's
 * instances with the management view (the detail view plus {@code server}, {@code service_status},
 * {@code tenant_id}, {@code deleted}, {@code deleted_at}, {@code task_description}), one instance with its
 * volume, guest status and root history, its root history alone, and the actions {@code stop}, {@code reboot}
 * and {@code reset-task-status}.
 */
@RestController
@RequestMapping("/v1.0/{projectId}/mgmt/instances")
public class MgmtInstanceController {

    private final InstanceQueryService queries;
    private final InstanceActionService actions;
    private final RootService roots;
    private final ObjectMapper mapper;

    public MgmtInstanceController(InstanceQueryService queries, InstanceActionService actions, RootService roots,
                                  ObjectMapper mapper) {
        this.queries = queries;
        this.actions = actions;
        this.roots = roots;
        this.mapper = mapper;
    }

    @GetMapping
    public ObjectNode index(AuthContext caller, HttpServletRequest request,
                            @RequestParam(required = false) String deleted,
                            @RequestParam(name = "include_clustered", required = false) String includeClustered,
                            @RequestParam(name = "project_id", required = false) String projectId,
                            @RequestParam(required = false) String limit,
                            @RequestParam(required = false) String marker) {
        AdminOnly.require(caller);
        String flag = deleted == null ? "" : deleted.toLowerCase(Locale.ROOT);
        Boolean deletedFilter = flag.equals("true") ? Boolean.TRUE : flag.equals("false") ? Boolean.FALSE : null;
        InstanceQueryService.Page page = queries.mgmtList(projectId == null || projectId.isEmpty() ? null : projectId,
                deletedFilter, "true".equalsIgnoreCase(includeClustered), limit, marker);
        Links links = Links.of(request, caller.projectId());
        ObjectNode body = mapper.createObjectNode();
        ArrayNode list = body.putArray("instances");
        page.items().forEach(loaded -> list.add(view(loaded, links)));
        if (page.nextMarker() != null) {
            body.set("links", mapper.valueToTree(NextPage.links(request, page.nextMarker())));
        }
        return body;
    }

    @GetMapping("/{id}")
    public ObjectNode show(AuthContext caller, HttpServletRequest request, @PathVariable String id,
                           @RequestParam(required = false) String deleted) {
        AdminOnly.require(caller);
        InstanceViews.Loaded loaded = queries.mgmtShow(id, "true".equalsIgnoreCase(deleted));
        ObjectNode view = view(loaded, Links.of(request, caller.projectId()));
        Instance instance = loaded.instance();
        JsonNode server = view.get("server");
        if (server != null && server.isObject()) {
            ((ObjectNode) server).set("addresses", mapper.valueToTree(instance.getAddresses()));
        }
        if (instance.getVolumeId() != null) {
            ObjectNode volume = view.putObject("volume");
            volume.put("id", instance.getVolumeId());
            volume.put("size", instance.getVolumeSize());
        } else if (instance.getVolumeSize() == null) {
            view.putNull("volume");
        }
        view.putObject("guest_status").put("state_description",
                loaded.serviceStatus().getStatus().description());
        roots.history(id).ifPresent(enabled -> {
            view.put("root_enabled", Timestamps.format(enabled.getCreated()));
            view.put("root_enabled_by", enabled.getUserId());
        });
        ObjectNode body = mapper.createObjectNode();
        body.set("instance", view);
        return body;
    }

    /** Trove's root history view: when root was first enabled and by whom, else "Never" / "Nobody". */
    @GetMapping("/{id}/root")
    public ObjectNode root(AuthContext caller, @PathVariable String id) {
        AdminOnly.require(caller);
        queries.mgmtShow(id, false);
        ObjectNode history = mapper.createObjectNode();
        history.put("id", id);
        history.put("enabled", "Never");
        history.put("user", "Nobody");
        roots.history(id).ifPresent(enabled -> {
            history.put("enabled", Timestamps.format(enabled.getCreated()));
            history.put("user", enabled.getUserId());
        });
        ObjectNode body = mapper.createObjectNode();
        body.set("root_history", history);
        return body;
    }

    @PostMapping("/{id}/action")
    public ResponseEntity<Void> action(AuthContext caller, HttpServletRequest request, @PathVariable String id,
                                       @RequestBody(required = false) JsonNode body) {
        AdminOnly.require(caller);
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ApiException.badRequest("Invalid request body.");
        }
        String selected = null;
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!List.of("stop", "reboot", "migrate", "reset-task-status", "rebuild").contains(key)) {
                throw ApiException.badRequest("Invalid instance action: " + key);
            }
            if (selected != null) {
                throw ApiException.badRequest("Only one action can be specified per request.");
            }
            selected = key;
        }
        JsonNode argument = body.get(selected);
        if (!argument.isObject()) {
            throw ApiException.badRequest("Validation error: " + selected + " " + PythonRepr.of(argument)
                    + " is not of type 'object'");
        }
        String requestId = RequestIdFilter.requestId(request);
        switch (selected) {
            case "stop" -> actions.mgmtStop(caller, id, requestId);
            case "reboot" -> actions.mgmtReboot(caller, id, requestId);
            case "reset-task-status" -> actions.mgmtResetTaskStatus(caller, id);
            case "migrate" -> throw ApiException.notImplemented("Migrating an instance to another host is not "
                    + "supported by this deployment.");
            default -> actions.mgmtRebuild(caller, id, rebuildImage(argument), requestId);
        }
        return ResponseEntity.accepted().build();
    }

    /** Trove's schema of the rebuild action (apischema.py mgmt_instance rebuild): one key, a UUID image_id. */
    private static String rebuildImage(JsonNode argument) {
        Violations v = Violations.create();
        if (Schemas.required(v, "rebuild", argument, "image_id")
                && Schemas.onlyProperties(v, "rebuild", argument, Set.of("image_id"))) {
            Schemas.uuid(v, Violations.key("rebuild", "image_id"), argument.get("image_id"));
        }
        v.throwIfAny();
        return argument.get("image_id").asText();
    }

    /** Trove's MgmtInstanceView: the detail view with the server and the record's bookkeeping. */
    private ObjectNode view(InstanceViews.Loaded loaded, Links links) {
        Instance instance = loaded.instance();
        ObjectNode view = mapper.valueToTree(InstanceViews.detail(loaded, links, true));
        if (instance.getComputeInstanceId() == null) {
            view.putNull("server");
        } else {
            ObjectNode server = view.putObject("server");
            server.put("id", instance.getComputeInstanceId());
            server.put("name", instance.getName());
            server.put("status", instance.getServerStatus());
            server.put("tenant_id", instance.getTenantId());
            server.putNull("host");
        }
        view.put("service_status", loaded.serviceStatus().getStatus().apiName());
        view.put("tenant_id", instance.getTenantId());
        view.put("deleted", instance.isDeleted());
        view.put("deleted_at", instance.getDeletedAt() == null ? null : Timestamps.format(instance.getDeletedAt()));
        view.put("task_description", instance.getTaskDescription());
        return view;
    }
}
