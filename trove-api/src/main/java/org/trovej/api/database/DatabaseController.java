package org.trovej.api.database;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.web.Link;
import org.trovej.api.web.NextPage;
import org.trovej.api.web.PythonUrl;
import org.trovej.api.web.RequestIdFilter;
import org.trovej.common.json.PythonJson;

/**
 * {@code /v1.0/{project}/instances/{id}/databases}: list (200, paged by name), create (202), delete (202), and
 * show, which Trove does not implement (501).
 */
@RestController
@RequestMapping("/v1.0/{projectId}/instances/{instanceId}/databases")
public class DatabaseController {

    private final DatabaseService databases;

    public DatabaseController(DatabaseService databases) {
        this.databases = databases;
    }

    @GetMapping
    public DatabaseViews.DatabaseList index(AuthContext caller, HttpServletRequest request,
                                            @PathVariable String instanceId,
                                            @RequestParam(required = false) String limit,
                                            @RequestParam(required = false) String marker) {
        DatabaseService.Page page = databases.list(caller, instanceId, limit, marker,
                RequestIdFilter.requestId(request));
        List<Link> next = page.nextMarker() == null ? null
                : NextPage.links(request, PythonUrl.quote(page.nextMarker()));
        return new DatabaseViews.DatabaseList(page.names().stream().map(DatabaseViews.DatabaseView::new).toList(),
                next);
    }

    @PostMapping
    public ResponseEntity<Void> create(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                       @RequestBody(required = false) JsonNode body) {
        databases.create(caller, instanceId, body == null ? PythonJson.object() : body,
                RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    /** Always refused: {@link DatabaseService#show} throws. */
    @GetMapping("/{name}")
    public void show(AuthContext caller, @PathVariable String instanceId, @PathVariable String name) {
        databases.show(caller, instanceId);
    }

    @DeleteMapping("/{name}")
    public ResponseEntity<Void> delete(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                       @PathVariable String name) {
        databases.delete(caller, instanceId, name, RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }
}
