package org.trovej.api.backup;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;

/** {@code GET /v1.0/{project}/instances/{id}/backups}: an instance's backups, paged as {@code /backups}. */
@RestController
public class InstanceBackupController {

    private final BackupQueryService queries;

    public InstanceBackupController(BackupQueryService queries) {
        this.queries = queries;
    }

    @GetMapping("/v1.0/{projectId}/instances/{id}/backups")
    public BackupViews.BackupList index(AuthContext caller, HttpServletRequest request, @PathVariable String id,
                                        @RequestParam(required = false) String limit,
                                        @RequestParam(required = false) String marker) {
        return BackupController.list(request, queries.ofInstance(caller, id, limit, marker));
    }
}
