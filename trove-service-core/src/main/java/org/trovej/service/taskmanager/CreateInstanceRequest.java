package org.trovej.service.taskmanager;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.service.flavor.Flavor;

/**
 * The arguments of Trove's {@code create_instance} cast. Structures Trove passes through untouched (nics,
 * overrides, cluster config, modules, locality, access) stay JSON. {@link #toString()} leaves out the root
 * password and the users' passwords.
 */
public record CreateInstanceRequest(String instanceId, String name, Flavor flavor, String imageId,
                                    List<InstanceDatabase> databases, List<InstanceUser> users,
                                    String datastoreManager, List<String> packages, Integer volumeSize,
                                    String backupId, String availabilityZone, String rootPassword, JsonNode nics,
                                    JsonNode overrides, String slaveOfId, JsonNode clusterConfig, String volumeType,
                                    JsonNode modules, JsonNode locality, JsonNode access, String dsVersion) {

    public CreateInstanceRequest {
        if (instanceId == null || flavor == null || datastoreManager == null) {
            throw new IllegalArgumentException("create_instance needs an instance id, a flavor and a datastore manager");
        }
        databases = databases == null ? List.of() : List.copyOf(databases);
        users = users == null ? List.of() : List.copyOf(users);
    }

    public static Builder builder(String instanceId, String name, Flavor flavor, String datastoreManager) {
        return new Builder(instanceId, name, flavor, datastoreManager);
    }

    /** The keyword arguments in Trove's order (taskmanager/api.py create_instance). */
    public ObjectNode toWire() {
        ObjectNode args = PythonJson.object();
        args.put("instance_id", instanceId);
        args.put("name", name);
        args.set("flavor", flavor.toWire());
        args.put("image_id", imageId);
        ArrayNode dbs = args.putArray("databases");
        databases.forEach(db -> dbs.add(db.toWire()));
        ArrayNode us = args.putArray("users");
        users.forEach(u -> us.add(u.toWire()));
        args.put("datastore_manager", datastoreManager);
        if (packages == null) {
            args.putNull("packages");
        } else {
            ArrayNode p = args.putArray("packages");
            packages.forEach(p::add);
        }
        if (volumeSize == null) {
            args.putNull("volume_size");
        } else {
            args.put("volume_size", volumeSize);
        }
        args.put("backup_id", backupId);
        args.put("availability_zone", availabilityZone);
        args.put("root_password", rootPassword);
        args.set("nics", json(nics));
        args.set("overrides", json(overrides));
        args.put("slave_of_id", slaveOfId);
        args.set("cluster_config", json(clusterConfig));
        args.put("volume_type", volumeType);
        args.set("modules", json(modules));
        args.set("locality", json(locality));
        args.set("access", json(access));
        args.put("ds_version", dsVersion);
        return args;
    }

    private static JsonNode json(JsonNode value) {
        return value == null ? PythonJson.nodes().nullNode() : value.deepCopy();
    }

    @Override
    public String toString() {
        return "CreateInstanceRequest[instanceId=" + instanceId + ", name=" + name + ", flavor=" + flavor.id()
                + ", datastoreManager=" + datastoreManager + ", dsVersion=" + dsVersion + ", volumeSize=" + volumeSize
                + ", databases=" + databases + ", users=" + users + "]";
    }

    /** For the many optional arguments. */
    public static final class Builder {
        private final String instanceId;
        private final String name;
        private final Flavor flavor;
        private final String datastoreManager;
        private String imageId;
        private List<InstanceDatabase> databases;
        private List<InstanceUser> users;
        private List<String> packages;
        private Integer volumeSize;
        private String backupId;
        private String availabilityZone;
        private String rootPassword;
        private JsonNode nics;
        private JsonNode overrides;
        private String slaveOfId;
        private JsonNode clusterConfig;
        private String volumeType;
        private JsonNode modules;
        private JsonNode locality;
        private JsonNode access;
        private String dsVersion;

        private Builder(String instanceId, String name, Flavor flavor, String datastoreManager) {
            this.instanceId = instanceId;
            this.name = name;
            this.flavor = flavor;
            this.datastoreManager = datastoreManager;
        }

        public Builder imageId(String value) {
            imageId = value;
            return this;
        }

        public Builder databases(List<InstanceDatabase> value) {
            databases = value;
            return this;
        }

        public Builder users(List<InstanceUser> value) {
            users = value;
            return this;
        }

        public Builder packages(List<String> value) {
            packages = value;
            return this;
        }

        public Builder volumeSize(Integer value) {
            volumeSize = value;
            return this;
        }

        public Builder backupId(String value) {
            backupId = value;
            return this;
        }

        public Builder availabilityZone(String value) {
            availabilityZone = value;
            return this;
        }

        public Builder rootPassword(String value) {
            rootPassword = value;
            return this;
        }

        public Builder nics(JsonNode value) {
            nics = value;
            return this;
        }

        public Builder overrides(JsonNode value) {
            overrides = value;
            return this;
        }

        public Builder slaveOfId(String value) {
            slaveOfId = value;
            return this;
        }

        public Builder clusterConfig(JsonNode value) {
            clusterConfig = value;
            return this;
        }

        public Builder volumeType(String value) {
            volumeType = value;
            return this;
        }

        public Builder modules(JsonNode value) {
            modules = value;
            return this;
        }

        public Builder locality(JsonNode value) {
            locality = value;
            return this;
        }

        public Builder access(JsonNode value) {
            access = value;
            return this;
        }

        public Builder dsVersion(String value) {
            dsVersion = value;
            return this;
        }

        public CreateInstanceRequest build() {
            return new CreateInstanceRequest(instanceId, name, flavor, imageId, databases, users, datastoreManager,
                    packages, volumeSize, backupId, availabilityZone, rootPassword, nics, overrides, slaveOfId,
                    clusterConfig, volumeType, modules, locality, access, dsVersion);
        }
    }
}
