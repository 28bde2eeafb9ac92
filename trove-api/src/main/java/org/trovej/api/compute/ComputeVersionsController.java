package org.trovej.api.compute;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Nova's version documents, open to anyone as in Nova: the list at the root and the v2.1 document at the
 * endpoint itself, which novaclient reads ({@code versions.get_current}: GET on the catalog URL, key
 * {@code version}) to learn the microversion range.
 */
@OnLocalBackend
@RestController
class ComputeVersionsController {

    /** The date Nova's v2.1 document has carried since its release. */
    private static final String UPDATED = "2013-07-23T11:33:21Z";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionLink(String rel, String href, String type) {
    }

    record MediaType(String base, String type) {
    }

    record Version(String id, String status, String version, @JsonProperty("min_version") String minVersion,
                   String updated, List<VersionLink> links, @JsonProperty("media-types") List<MediaType> mediaTypes) {
    }

    record Summary(String id, String status, String version, @JsonProperty("min_version") String minVersion,
                   String updated, List<VersionLink> links) {
    }

    @GetMapping({ComputePaths.ROOT, ComputePaths.ROOT + "/"})
    Map<String, List<Summary>> versions(HttpServletRequest request) {
        String self = ComputePaths.base(request) + "/v2.1/";
        return Map.of("versions", List.of(new Summary("v2.1", "CURRENT", Microversions.VERSION,
                Microversions.VERSION, UPDATED, List.of(new VersionLink("self", self, null)))));
    }

    @GetMapping({ComputePaths.API, ComputePaths.API + "/"})
    Map<String, Version> version(HttpServletRequest request) {
        String self = ComputePaths.base(request) + "/v2.1/";
        return Map.of("version", new Version("v2.1", "CURRENT", Microversions.VERSION, Microversions.VERSION,
                UPDATED, List.of(new VersionLink("self", self, null),
                        new VersionLink("describedby", "http://docs.openstack.org/", "text/html")),
                List.of(new MediaType("application/json",
                        "application/vnd.openstack.compute+json;version=2.1"))));
    }
}
