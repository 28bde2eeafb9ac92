package org.trovej.api.configuration;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.api.web.Link;

/** Trove's configuration views (configuration/views.py), key for key. */
public final class ConfigurationViews {

    private ConfigurationViews() {
    }

    public record Summary(String id, @JsonInclude(Include.ALWAYS) String name,
                          @JsonInclude(Include.ALWAYS) String description,
                          String created, String updated,
                          @JsonProperty("datastore_version_id") String datastoreVersionId,
                          @JsonProperty("datastore_name") String datastoreName,
                          @JsonProperty("datastore_version_name") String datastoreVersionName) {
    }

    public record Detail(String id, @JsonInclude(Include.ALWAYS) String name,
                         @JsonInclude(Include.ALWAYS) String description,
                         Map<String, JsonNode> values, String created, String updated,
                         @JsonProperty("instance_count") long instanceCount,
                         @JsonProperty("datastore_name") String datastoreName,
                         @JsonProperty("datastore_version_id") String datastoreVersionId,
                         @JsonProperty("datastore_version_name") String datastoreVersionName,
                         @JsonProperty("datastore_version_number") String datastoreVersionNumber) {
    }

    public record Show(Detail configuration) {
    }

    /** {@code links} is absent, not empty, when there is no next page. */
    @JsonInclude(Include.NON_NULL)
    public record ConfigurationList(@JsonInclude(Include.ALWAYS) List<Summary> configurations, List<Link> links) {
    }

    public record InstanceRef(String id, String name) {
    }

    @JsonInclude(Include.NON_NULL)
    public record InstanceList(@JsonInclude(Include.ALWAYS) List<InstanceRef> instances, List<Link> links) {
    }
}
