package org.trovej.api.blockstorage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthStrategy;
import org.trovej.api.compute.OnLocalBackend;
import org.trovej.api.instance.Instance;
import org.trovej.api.instance.InstanceRepository;
import org.trovej.api.web.Links;

/**
 * The part of Cinder's v3 API that trove-dashboard and Horizon read on the local back end, where the instances'
 * volumes are directories and TroveJ is the block storage service: version discovery, the volume types (one,
 * Cinder's {@code __DEFAULT__}: trove-dashboard's Launch form fails with a 500 when it cannot list any) and the
 * project's absolute limits (Horizon's Overview and quota charts), counted from its instances' volumes. Tokens are
 * checked as for the Trove API, the project of the path against the token's.
 */
@OnLocalBackend
@RestController
class BlockStorageController {

    static final String ROOT = "/volume";
    static final String API = ROOT + "/v3/{projectId}";
    /** Cinder's default type, present in every Cinder since Train; the id is this service's, fixed. */
    static final Map<String, Object> DEFAULT_TYPE = defaultType();
    private static final String UPDATED = "2023-08-31T00:00:00Z";

    private final InstanceRepository instances;
    private final AuthStrategy auth;

    BlockStorageController(InstanceRepository instances, AuthStrategy auth) {
        this.instances = instances;
        this.auth = auth;
    }

    /** Cinder's version list, open to anyone; cinderclient reads its 3.0 entry's min_version and version. */
    @GetMapping({ROOT, ROOT + "/", ROOT + "/v3", ROOT + "/v3/"})
    Map<String, List<Map<String, Object>>> versions(HttpServletRequest request) {
        Map<String, Object> v3 = new LinkedHashMap<>();
        v3.put("id", "v3.0");
        v3.put("status", "CURRENT");
        v3.put("version", "3.0");
        v3.put("min_version", "3.0");
        v3.put("updated", UPDATED);
        v3.put("links", List.of(Map.of("rel", "self",
                "href", request.getScheme() + "://" + Links.host(request) + ROOT + "/v3/")));
        v3.put("media-types", List.of(Map.of("base", "application/json",
                "type", "application/vnd.openstack.volume+json;version=3")));
        return Map.of("versions", List.of(v3));
    }

    @GetMapping({API + "/types", API + "/types/"})
    Map<String, List<Map<String, Object>>> types(HttpServletRequest request, @PathVariable String projectId) {
        auth.authenticate(request, projectId);
        return Map.of("volume_types", List.of(DEFAULT_TYPE));
    }

    @GetMapping(API + "/types/{typeId}")
    ResponseEntity<Map<String, Object>> type(HttpServletRequest request, @PathVariable String projectId,
                                             @PathVariable String typeId) {
        auth.authenticate(request, projectId);
        if (typeId.equals(DEFAULT_TYPE.get("id")) || typeId.equals(DEFAULT_TYPE.get("name"))) {
            return ResponseEntity.ok(Map.of("volume_type", DEFAULT_TYPE));
        }
        return ResponseEntity.status(404).contentType(MediaType.APPLICATION_JSON).body(Map.of("itemNotFound",
                Map.of("code", 404, "message", "Volume type with name " + typeId + " could not be found.")));
    }

    /**
     * What the project's instance volumes use. The local back end puts no block storage quota of its own on them
     * (-1, Cinder's unlimited): Trove's own quotas (volumes, in GB) still apply when instances are created.
     */
    @GetMapping(API + "/limits")
    @Transactional(readOnly = true)
    Map<String, Map<String, Object>> limits(HttpServletRequest request, @PathVariable String projectId) {
        // the strategy refuses a path project that is not the caller's, so the path's is the one to count
        auth.authenticate(request, projectId);
        List<Instance> live = instances.withServers(projectId);
        long volumes = live.stream().filter(i -> i.getVolumeSize() != null && i.getVolumeSize() > 0).count();
        long gigabytes = live.stream().mapToLong(i -> i.getVolumeSize() == null ? 0 : i.getVolumeSize()).sum();
        Map<String, Object> absolute = new LinkedHashMap<>();
        absolute.put("maxTotalVolumes", -1);
        absolute.put("maxTotalSnapshots", -1);
        absolute.put("maxTotalVolumeGigabytes", -1);
        absolute.put("maxTotalBackups", -1);
        absolute.put("maxTotalBackupGigabytes", -1);
        absolute.put("totalVolumesUsed", volumes);
        absolute.put("totalGigabytesUsed", gigabytes);
        absolute.put("totalSnapshotsUsed", 0);
        absolute.put("totalBackupsUsed", 0);
        absolute.put("totalBackupGigabytesUsed", 0);
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("rate", List.of());
        limits.put("absolute", absolute);
        return Map.of("limits", limits);
    }

    private static Map<String, Object> defaultType() {
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("id", "5f0c5c61-0c1a-4a8e-9f57-1d6b2c7a0e3d");
        type.put("name", "__DEFAULT__");
        type.put("description", "Default Volume Type");
        type.put("is_public", true);
        type.put("os-volume-type-access:is_public", true);
        type.put("qos_specs_id", null);
        type.put("extra_specs", Map.of());
        return Collections.unmodifiableMap(type);
    }
}
