package org.trovej.api.datastore;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.trovej.api.web.Link;
import org.trovej.api.web.Links;

/** Trove's datastore and version views (trove/datastore/views.py). */
public final class DatastoreViews {

    private DatastoreViews() {
    }

    /**
     * A version. {@code datastore} is left out inside a datastore's own view; admins also see how the version is
     * deployed.
     */
    public record VersionView(String id, String name, String version, List<Link> links,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String datastore,
                              @JsonUnwrapped AdminVersionFields admin) {
    }

    public record AdminVersionFields(boolean active, String packages, String image,
                                     @JsonProperty("registry_ext") String registryExt,
                                     @JsonProperty("repl_strategy") String replStrategy,
                                     @JsonProperty("image_tags") List<String> imageTags) {
    }

    public record DatastoreView(String id, String name, List<Link> links, List<VersionView> versions,
                                @JsonProperty("default_version") @JsonInclude(JsonInclude.Include.NON_NULL)
                                String defaultVersion) {
    }

    public record DatastoreList(List<DatastoreView> datastores) {
    }

    public record DatastoreShow(DatastoreView datastore) {
    }

    public record VersionList(List<VersionView> versions) {
    }

    public record VersionShow(VersionView version) {
    }

    public static DatastoreView datastore(Datastore datastore, List<DatastoreVersion> versions, Links links,
                                          boolean admin) {
        return new DatastoreView(datastore.getId(), datastore.getName(), links.resource("datastores", datastore.getId()),
                versions.stream().map(v -> version(v, links, admin, false)).toList(), datastore.getDefaultVersionId());
    }

    public static VersionView version(DatastoreVersion v, Links links, boolean admin, boolean withDatastore) {
        AdminVersionFields extras = admin ? new AdminVersionFields(v.isActive(), v.getPackages(), v.getImageId(),
                v.getRegistryExt(), v.getReplStrategy(), tags(v.getImageTags())) : null;
        return new VersionView(v.getId(), v.getName(), v.getVersion(), links.resource("datastores/versions", v.getId()),
                withDatastore ? v.getDatastoreId() : null, extras);
    }

    private static List<String> tags(String imageTags) {
        return imageTags == null || imageTags.isEmpty() ? List.of() : Arrays.asList(imageTags.split(","));
    }
}
