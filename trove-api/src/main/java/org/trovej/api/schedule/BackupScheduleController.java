package org.trovej.api.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.common.json.PythonJson;

/**
 * {@code /v1.0/{project}/instances/{id}/backup_schedule} (TroveJ's extension): GET shows it, PUT sets it (200 with
 * the schedule), DELETE removes it (202 without a body, as Trove's deletes).
 */
@RestController
@RequestMapping("/v1.0/{projectId}/instances/{id}/backup_schedule")
public class BackupScheduleController {

    private final BackupScheduleService schedules;

    public BackupScheduleController(BackupScheduleService schedules) {
        this.schedules = schedules;
    }

    @GetMapping
    public BackupScheduleView.Show show(AuthContext caller, @PathVariable String id) {
        return new BackupScheduleView.Show(schedules.show(caller, id));
    }

    @PutMapping
    public BackupScheduleView.Show set(AuthContext caller, @PathVariable String id,
                                       @RequestBody(required = false) JsonNode body) {
        return new BackupScheduleView.Show(schedules.set(caller, id, body == null ? PythonJson.object() : body));
    }

    @DeleteMapping
    public ResponseEntity<Void> delete(AuthContext caller, @PathVariable String id) {
        schedules.delete(caller, id);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }
}
