package org.trovej.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.common.json.PythonJson;

/** {@code /v1.0/{project}/backup_strategies}: create 202 with the strategy, list 200, delete 202. */
@RestController
@RequestMapping("/v1.0/{projectId}/backup_strategies")
public class BackupStrategyController {

    private final BackupStrategyService strategies;

    public BackupStrategyController(BackupStrategyService strategies) {
        this.strategies = strategies;
    }

    @PostMapping
    public ResponseEntity<BackupViews.StrategyShow> create(AuthContext caller,
                                                           @RequestBody(required = false) JsonNode body) {
        BackupViews.StrategyView created = strategies.create(caller, body == null ? PythonJson.object() : body);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new BackupViews.StrategyShow(created));
    }

    @GetMapping
    public BackupViews.StrategyList index(AuthContext caller,
                                          @RequestParam(name = "instance_id", required = false) String instanceId,
                                          @RequestParam(name = "project_id", required = false) String projectId) {
        return new BackupViews.StrategyList(strategies.list(caller, instanceId, projectId));
    }

    @DeleteMapping
    public ResponseEntity<Void> delete(AuthContext caller,
                                       @RequestParam(name = "instance_id", required = false) String instanceId,
                                       @RequestParam(name = "project_id", required = false) String projectId) {
        strategies.delete(caller, instanceId, projectId);
        return ResponseEntity.accepted().build();
    }
}
