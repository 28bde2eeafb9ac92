package org.trovej.api.datastore;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code datastore_versions}. {@code name} is what users pick ("16"), {@code version} the version
 * number shown as {@code version_number}, {@code manager} the guest manager that runs it.
 */
@Entity
@Table(name = "datastore_versions")
public class DatastoreVersion {

    @Id
    private String id;

    @Column(name = "datastore_id")
    private String datastoreId;

    private String name;

    private String version;

    private String manager;

    @Column(name = "image_id")
    private String imageId;

    @Column(name = "image_tags")
    private String imageTags;

    private String packages;

    private boolean active;

    @Column(name = "registry_ext")
    private String registryExt;

    @Column(name = "repl_strategy")
    private String replStrategy;

    protected DatastoreVersion() {
    }

    /** A new version of a datastore, as the management API registers it. */
    public DatastoreVersion(String id, String datastoreId, String name, String version, String manager,
                            String imageId, String imageTags, String packages, boolean active, String registryExt,
                            String replStrategy) {
        this.id = id;
        this.datastoreId = datastoreId;
        this.version = version;
        assign(name, manager, imageId, imageTags, packages, active, registryExt, replStrategy);
    }

    /** What the management API may change; the datastore and the version number stay. */
    public void update(String name, String manager, String imageId, String imageTags, String packages,
                       boolean active, String registryExt, String replStrategy) {
        assign(name, manager, imageId, imageTags, packages, active, registryExt, replStrategy);
    }

    private void assign(String name, String manager, String imageId, String imageTags, String packages,
                        boolean active, String registryExt, String replStrategy) {
        this.name = name;
        this.manager = manager;
        this.imageId = imageId;
        this.imageTags = imageTags;
        this.packages = packages;
        this.active = active;
        this.registryExt = registryExt;
        this.replStrategy = replStrategy;
    }

    public String getId() {
        return id;
    }

    public String getDatastoreId() {
        return datastoreId;
    }

    public String getName() {
        return name;
    }

    public String getVersion() {
        return version;
    }

    public String getManager() {
        return manager;
    }

    public String getImageId() {
        return imageId;
    }

    public String getImageTags() {
        return imageTags;
    }

    public String getPackages() {
        return packages;
    }

    public boolean isActive() {
        return active;
    }

    public String getRegistryExt() {
        return registryExt;
    }

    public String getReplStrategy() {
        return replStrategy;
    }
}
