package org.trovej.taskmanager.create;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcFailure;
import org.trovej.service.flavor.Flavor;

/**
 * A {@code create_instance} message's arguments. They live in memory only: {@code users} and
 * {@code root_password} hold passwords, so the request is never stored and {@link #toString()} leaves them out.
 */
record CreateRequest(String instanceId, String name, Flavor flavor, String imageId, JsonNode databases,
                     JsonNode users, String datastoreManager, JsonNode packages, Integer volumeSize, String backupId,
                     String availabilityZone, String rootPassword, JsonNode nics, JsonNode overrides,
                     String slaveOfId, JsonNode clusterConfig, String volumeType, JsonNode modules,
                     JsonNode locality, JsonNode access, String dsVersion) {

    static CreateRequest from(RpcArgs args) {
        JsonNode id = args.required("instance_id");
        if (!id.isTextual()) {
            // Trove passes a list for multi-replica creates; TroveJ has no replicas yet
            throw new RpcFailure("builtins", "ValueError", "create_instance: instance_id must be one id");
        }
        JsonNode size = args.optional("volume_size");
        return new CreateRequest(id.asText(), args.optionalText("name"), Flavor.fromWire(args.required("flavor")),
                args.optionalText("image_id"), args.optional("databases"), args.optional("users"),
                args.text("datastore_manager"), args.optional("packages"),
                size == null ? null : size.asInt(), args.optionalText("backup_id"),
                args.optionalText("availability_zone"), args.optionalText("root_password"), args.optional("nics"),
                args.optional("overrides"), args.optionalText("slave_of_id"), args.optional("cluster_config"),
                args.optionalText("volume_type"), args.optional("modules"), args.optional("locality"),
                args.optional("access"), args.optionalText("ds_version"));
    }

    @Override
    public String toString() {
        return "CreateRequest[instance=" + instanceId + ", flavor=" + flavor.id() + ", datastore=" + datastoreManager
                + " " + dsVersion + ", volume=" + volumeSize + "]";
    }
}
