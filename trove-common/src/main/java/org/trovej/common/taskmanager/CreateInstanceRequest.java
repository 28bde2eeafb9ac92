package org.trovej.common.taskmanager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.guest.GuestSchema;
import org.trovej.common.guest.GuestUser;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcFailure;

/**
 * The arguments of Trove's {@code create_instance} cast (trove/taskmanager/api.py): the one definition the API
 * sends ({@link #toWire()}) and the task manager reads ({@link #fromWire(RpcArgs)}).
 * <p>
 * What the task manager only hands on, to the guest's {@code prepare} or to the cloud, stays the JSON it came
 * as: databases and users (Trove's serialized guest models), packages (a list from TroveJ's API, a string from
 * Trove's), nics, overrides, cluster config, modules, locality and access. A message from Trove's own API thus
 * reaches the guest with every field Trove put in it. The request is never stored: {@code users} and
 * {@code root_password} hold passwords, and {@link #toString()} leaves them out.
 *
 * @param databases a JSON list of {@link GuestSchema#toWire() schema dicts}, never null
 * @param users     a JSON list of {@link GuestUser#toWire() user dicts}, never null
 * @param restoreTime TroveJ's point-in-time restore ({@code restore_time}, beyond Trove): restore
 *                    {@code backupId}'s instance to this moment, starting from {@code backupId}; null otherwise.
 *                    Sent only when set, so Trove's task manager never sees it.
 */
public record CreateInstanceRequest(String instanceId, String name, Flavor flavor, String imageId,
                                    JsonNode databases, JsonNode users, String datastoreManager, JsonNode packages,
                                    Integer volumeSize, String backupId, String availabilityZone,
                                    String rootPassword, JsonNode nics, JsonNode overrides, String slaveOfId,
                                    JsonNode clusterConfig, String volumeType, JsonNode modules, JsonNode locality,
                                    JsonNode access, String dsVersion, Instant restoreTime) {

    public CreateInstanceRequest {
        if (instanceId == null || flavor == null) {
            throw new IllegalArgumentException("create_instance needs an instance id and a flavor");
        }
        databases = databases == null ? PythonJson.array() : databases;
        users = users == null ? PythonJson.array() : users;
    }

    /** For the sender: the required arguments here, the many optional ones on the builder. */
    public static Builder builder(String instanceId, String name, Flavor flavor, String datastoreManager) {
        if (datastoreManager == null) {
            throw new IllegalArgumentException("create_instance needs a datastore manager");
        }
        return new Builder(instanceId, name, flavor, datastoreManager);
    }

    /**
     * Reads the arguments as they arrive, from TroveJ's API or Trove's. A missing required argument is oslo's
     * {@code TypeError}; a list of instance ids (Trove's multi-replica create) is refused as a
     * {@code ValueError}, TroveJ having no replicas yet. Nova's flavor dict is accepted as Trove's API sends it.
     */
    public static CreateInstanceRequest fromWire(RpcArgs args) {
        JsonNode id = args.required("instance_id");
        if (!id.isTextual()) {
            throw new RpcFailure("builtins", "ValueError", "create_instance: instance_id must be one id");
        }
        JsonNode size = args.optional("volume_size");
        return new CreateInstanceRequest(id.asText(), args.optionalText("name"),
                Flavor.fromWire(args.required("flavor")), args.optionalText("image_id"), args.optional("databases"),
                args.optional("users"), args.text("datastore_manager"), args.optional("packages"),
                size == null ? null : size.asInt(), args.optionalText("backup_id"),
                args.optionalText("availability_zone"), args.optionalText("root_password"), args.optional("nics"),
                args.optional("overrides"), args.optionalText("slave_of_id"), args.optional("cluster_config"),
                args.optionalText("volume_type"), args.optional("modules"), args.optional("locality"),
                args.optional("access"), args.optionalText("ds_version"), restoreTime(args));
    }

    private static Instant restoreTime(RpcArgs args) {
        String time = args.optionalText("restore_time");
        try {
            return time == null ? null : Instant.parse(time);
        } catch (java.time.DateTimeException e) {
            throw new RpcFailure("builtins", "ValueError", "create_instance: restore_time '" + time
                    + "' is not an ISO-8601 instant");
        }
    }

    /** The keyword arguments in Trove's order (taskmanager/api.py create_instance). */
    public ObjectNode toWire() {
        ObjectNode args = PythonJson.object();
        args.put("instance_id", instanceId);
        args.put("name", name);
        args.set("flavor", flavor.toWire());
        args.put("image_id", imageId);
        args.set("databases", databases.deepCopy());
        args.set("users", users.deepCopy());
        args.put("datastore_manager", datastoreManager);
        args.set("packages", json(packages));
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
        if (restoreTime != null) {
            args.put("restore_time", restoreTime.toString());
        }
        return args;
    }

    private static JsonNode json(JsonNode value) {
        return value == null ? PythonJson.nodes().nullNode() : value.deepCopy();
    }

    @Override
    public String toString() {
        return "CreateInstanceRequest[instanceId=" + instanceId + ", name=" + name + ", flavor=" + flavor.id()
                + ", datastoreManager=" + datastoreManager + ", dsVersion=" + dsVersion + ", volumeSize=" + volumeSize
                + ", databases=" + names(databases) + ", users=" + names(users) + "]";
    }

    /** The {@code _name}s of serialized guest models: all a log may show of them. */
    private static List<String> names(JsonNode models) {
        List<String> names = new ArrayList<>();
        models.forEach(model -> names.add(model.path("_name").asText(null)));
        return names;
    }

    private static <T> ArrayNode serialized(List<T> values, Function<T, JsonNode> toWire) {
        if (values == null) {
            return null;
        }
        ArrayNode list = PythonJson.array();
        values.forEach(value -> list.add(toWire.apply(value)));
        return list;
    }

    /** For the many optional arguments; databases, users and packages are given typed and sent serialized. */
    public static final class Builder {
        private final String instanceId;
        private final String name;
        private final Flavor flavor;
        private final String datastoreManager;
        private String imageId;
        private ArrayNode databases;
        private ArrayNode users;
        private ArrayNode packages;
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
        private Instant restoreTime;

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

        public Builder databases(List<GuestSchema> value) {
            databases = serialized(value, GuestSchema::toWire);
            return this;
        }

        public Builder users(List<GuestUser> value) {
            users = serialized(value, GuestUser::toWire);
            return this;
        }

        public Builder packages(List<String> value) {
            packages = serialized(value, PythonJson.nodes()::textNode);
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

        public Builder restoreTime(Instant value) {
            restoreTime = value;
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
                    clusterConfig, volumeType, modules, locality, access, dsVersion, restoreTime);
        }
    }
}
