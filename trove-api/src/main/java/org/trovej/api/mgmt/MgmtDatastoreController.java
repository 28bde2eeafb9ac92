package org.trovej.api.mgmt;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.common.json.PythonJson;

/**
 * {@code /v1.0/{project}/mgmt/datastore-versions} and {@code /mgmt/datastores/versions/{vid}/parameters}; all
 * admin only (401).
 */
@RestController
@RequestMapping("/v1.0/{projectId}/mgmt")
public class MgmtDatastoreController {

    private final MgmtDatastoreVersionService versions;
    private final MgmtParameterService parameters;

    public MgmtDatastoreController(MgmtDatastoreVersionService versions, MgmtParameterService parameters) {
        this.versions = versions;
        this.parameters = parameters;
    }

    @GetMapping("/datastore-versions")
    public Map<String, List<Map<String, Object>>> listVersions(AuthContext caller) {
        AdminOnly.require(caller);
        return Map.of("versions", versions.list().stream().map(MgmtDatastoreVersionService::view).toList());
    }

    @GetMapping("/datastore-versions/{id}")
    public Map<String, Map<String, Object>> showVersion(AuthContext caller, @PathVariable String id) {
        AdminOnly.require(caller);
        return Map.of("version", MgmtDatastoreVersionService.view(versions.show(id)));
    }

    @PostMapping("/datastore-versions")
    public ResponseEntity<Void> createVersion(AuthContext caller, @RequestBody(required = false) JsonNode body) {
        AdminOnly.require(caller);
        versions.create(body == null ? PythonJson.object() : body);
        return ResponseEntity.accepted().build();
    }

    @PatchMapping("/datastore-versions/{id}")
    public ResponseEntity<Void> editVersion(AuthContext caller, @PathVariable String id,
                                            @RequestBody(required = false) JsonNode body) {
        AdminOnly.require(caller);
        versions.edit(id, body == null ? PythonJson.object() : body);
        return ResponseEntity.accepted().build();
    }

    @DeleteMapping("/datastore-versions/{id}")
    public ResponseEntity<Void> deleteVersion(AuthContext caller, @PathVariable String id) {
        AdminOnly.require(caller);
        versions.delete(id);
        return ResponseEntity.accepted().build();
    }

    @GetMapping("/datastores/versions/{versionId}/parameters")
    public Map<String, List<Map<String, Object>>> listParameters(AuthContext caller, @PathVariable String versionId) {
        AdminOnly.require(caller);
        return Map.of("configuration-parameters", parameters.list(versionId));
    }

    @GetMapping("/datastores/versions/{versionId}/parameters/{name}")
    public Map<String, Object> showParameter(AuthContext caller, @PathVariable String versionId,
                                             @PathVariable String name) {
        AdminOnly.require(caller);
        return parameters.show(versionId, name);
    }

    @PostMapping("/datastores/versions/{versionId}/parameters")
    public Map<String, Object> createParameter(AuthContext caller, @PathVariable String versionId,
                                               @RequestBody(required = false) JsonNode body) {
        AdminOnly.require(caller);
        return parameters.create(versionId, body);
    }

    @PutMapping("/datastores/versions/{versionId}/parameters/{name}")
    public Map<String, Object> updateParameter(AuthContext caller, @PathVariable String versionId,
                                               @PathVariable String name, @RequestBody(required = false) JsonNode body) {
        AdminOnly.require(caller);
        return parameters.update(versionId, name, body);
    }

    @DeleteMapping("/datastores/versions/{versionId}/parameters/{name}")
    public ResponseEntity<Void> deleteParameter(AuthContext caller, @PathVariable String versionId,
                                                @PathVariable String name) {
        AdminOnly.require(caller);
        parameters.delete(versionId, name);
        return ResponseEntity.noContent().build();
    }
}
