package org.trovej.api.backup;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
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
import org.trovej.api.web.RequestIdFilter;
import org.trovej.common.json.PythonJson;

/** {@code /v1.0/{project}/backups}: Trove's codes, create 202 with the backup, delete 202 without a body. */
@RestController
@RequestMapping("/v1.0/{projectId}/backups")
public class BackupController {

    private final BackupQueryService queries;
    private final BackupCreateService creator;
    private final BackupDeleteService deleter;

    public BackupController(BackupQueryService queries, BackupCreateService creator, BackupDeleteService deleter) {
        this.queries = queries;
        this.creator = creator;
        this.deleter = deleter;
    }

    @GetMapping
    public BackupViews.BackupList index(AuthContext caller, HttpServletRequest request,
                                        @RequestParam(required = false) String limit,
                                        @RequestParam(required = false) String marker,
                                        @RequestParam(required = false) String datastore,
                                        @RequestParam(name = "instance_id", required = false) String instanceId,
                                        @RequestParam(name = "project_id", required = false) String projectId,
                                        @RequestParam(name = "all_projects", required = false) String allProjects) {
        return list(request, queries.list(caller, limit, marker, datastore, instanceId, projectId, allProjects));
    }

    @PostMapping
    public ResponseEntity<BackupViews.BackupShow> create(AuthContext caller, HttpServletRequest request,
                                                         @RequestBody(required = false) JsonNode body) {
        BackupViews.BackupView created = creator.create(caller, body == null ? PythonJson.object() : body,
                RequestIdFilter.requestId(request));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new BackupViews.BackupShow(created));
    }

    @GetMapping("/{id}")
    public BackupViews.BackupShow show(AuthContext caller, @PathVariable String id) {
        return new BackupViews.BackupShow(queries.show(caller, id));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(AuthContext caller, HttpServletRequest request, @PathVariable String id) {
        deleter.delete(caller, id, RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    /** A page as Trove's SimplePaginatedDataView shows it: {@code links} only when there is a next page. */
    static BackupViews.BackupList list(HttpServletRequest request, BackupQueryService.Page page) {
        List<Link> next = page.nextMarker() == null ? null : NextPage.links(request, page.nextMarker());
        return new BackupViews.BackupList(page.items(), next);
    }
}
