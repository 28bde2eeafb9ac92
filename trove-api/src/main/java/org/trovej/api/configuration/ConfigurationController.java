package org.trovej.api.configuration;

import java.util.List;

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
import org.trovej.api.web.NextPage;
import org.trovej.api.web.RequestIdFilter;
import org.trovej.common.json.PythonJson;

/**
 * {@code /v1.0/{project}/configurations} with Trove's status codes: create 200, PUT 202, PATCH 200 with an empty
 * body, DELETE 202.
 */
@RestController
@RequestMapping("/v1.0/{projectId}/configurations")
public class ConfigurationController {

    private final ConfigurationService configurations;

    public ConfigurationController(ConfigurationService configurations) {
        this.configurations = configurations;
    }

    @GetMapping
    public ConfigurationViews.ConfigurationList index(AuthContext caller, HttpServletRequest request,
                                                      @RequestParam(required = false) String limit,
                                                      @RequestParam(required = false) String marker) {
        ConfigurationService.Page<ConfigurationViews.Summary> page = configurations.list(caller, limit, marker);
        return new ConfigurationViews.ConfigurationList(page.items(), next(request, page.nextMarker()));
    }

    @PostMapping
    public ConfigurationViews.Show create(AuthContext caller, @RequestBody(required = false) JsonNode body) {
        return new ConfigurationViews.Show(configurations.create(caller, orEmpty(body)));
    }

    @GetMapping("/{id}")
    public ConfigurationViews.Show show(AuthContext caller, @PathVariable String id) {
        return new ConfigurationViews.Show(configurations.show(caller, id));
    }

    @GetMapping("/{id}/instances")
    public ConfigurationViews.InstanceList instances(AuthContext caller, HttpServletRequest request,
                                                     @PathVariable String id,
                                                     @RequestParam(required = false) String limit,
                                                     @RequestParam(required = false) String marker) {
        ConfigurationService.Page<ConfigurationViews.InstanceRef> page = configurations.instances(caller, id, limit,
                marker);
        return new ConfigurationViews.InstanceList(page.items(), next(request, page.nextMarker()));
    }

    @PutMapping("/{id}")
    public ResponseEntity<Void> update(AuthContext caller, HttpServletRequest request, @PathVariable String id,
                                       @RequestBody(required = false) JsonNode body) {
        configurations.update(caller, id, orEmpty(body), RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    @PatchMapping("/{id}")
    public ResponseEntity<Void> edit(AuthContext caller, HttpServletRequest request, @PathVariable String id,
                                     @RequestBody(required = false) JsonNode body) {
        configurations.edit(caller, id, orEmpty(body), RequestIdFilter.requestId(request));
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(AuthContext caller, @PathVariable String id) {
        configurations.delete(caller, id);
        return ResponseEntity.accepted().build();
    }

    private static List<Link> next(HttpServletRequest request, String marker) {
        return marker == null ? null : NextPage.links(request, marker);
    }

    private static JsonNode orEmpty(JsonNode body) {
        return body == null ? PythonJson.object() : body;
    }
}
