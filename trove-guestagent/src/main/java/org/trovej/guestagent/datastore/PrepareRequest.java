package org.trovej.guestagent.datastore;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.rpc.RpcArgs;

/**
 * The arguments of {@code prepare} (guest API 1.0/1.1). Everything Trove sends is accepted; what a manager
 * cannot do ({@code backup_info}, {@code snapshot}, {@code cluster_config}) it refuses explicitly rather than
 * building an empty database the user did not ask for. {@link #toString()} leaves secrets out.
 */
public record PrepareRequest(Integer memoryMb, List<DatabaseSpec> databases, List<UserSpec> users,
                             String rootPassword, String configContents, String mountPoint, String devicePath,
                             ObjectNode overrides, JsonNode backupInfo, JsonNode snapshot, JsonNode clusterConfig,
                             JsonNode modules, String dsVersion) {

    public static PrepareRequest from(RpcArgs args) {
        List<DatabaseSpec> databases = new ArrayList<>();
        JsonNode dbs = args.optional("databases");
        if (dbs != null && dbs.isArray()) {
            dbs.forEach(db -> databases.add(DatabaseSpec.from(db)));
        }
        List<UserSpec> users = new ArrayList<>();
        JsonNode us = args.optional("users");
        if (us != null && us.isArray()) {
            us.forEach(u -> users.add(UserSpec.from(u)));
        }
        JsonNode memory = args.optional("memory_mb");
        JsonNode overrides = args.optional("overrides");
        return new PrepareRequest(
                memory == null ? null : memory.asInt(),
                List.copyOf(databases), List.copyOf(users),
                args.optionalText("root_password"),
                args.optionalText("config_contents"),
                args.optionalText("mount_point"),
                args.optionalText("device_path"),
                overrides instanceof ObjectNode o && o.size() > 0 ? o : null,
                args.optional("backup_info"),
                args.optional("snapshot"),
                args.optional("cluster_config"),
                args.optional("modules"),
                args.optionalText("ds_version"));
    }

    @Override
    public String toString() {
        return "PrepareRequest[memory_mb=" + memoryMb + ", databases=" + databases.stream().map(DatabaseSpec::name)
                .toList() + ", users=" + users.stream().map(UserSpec::name).toList() + ", root_password="
                + (rootPassword == null ? "no" : "yes") + ", config_contents=" + (configContents == null ? "no" : "yes")
                + ", overrides=" + (overrides == null ? "no" : overrides.size()) + ", ds_version=" + dsVersion + "]";
    }
}
