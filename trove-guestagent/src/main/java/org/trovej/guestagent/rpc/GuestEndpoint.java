package org.trovej.guestagent.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.PrepareRequest;

/**
 * The guest RPC API (topic {@code guestagent.<id>}, version 1.3) with Trove's method and argument names,
 * mapped onto the datastore manager. Methods a Trove guest has but this one does not answer NoSuchMethod,
 * as Trove's own guests do for what they do not implement.
 */
public final class GuestEndpoint {

    public static final String VERSION = "1.3";

    private GuestEndpoint() {
    }

    public static RpcEndpoint build(DatastoreManager manager) {
        return RpcEndpoint.builder(VERSION)
                // cast: the reply-less first message; the manager reports progress through heartbeats
                .sync("prepare", (ctx, args) -> {
                    PrepareRequest request;
                    try {
                        request = PrepareRequest.from(args);
                    } catch (RuntimeException e) {
                        manager.prepareRejected(ctx, e);
                        return null;
                    }
                    manager.prepare(ctx, request);
                    return null;
                })
                .sync("restart", (ctx, args) -> {
                    manager.restart();
                    return null;
                })
                // 1.0 sends do_not_start_on_reboot; a stopped database stays stopped anyway
                .sync("stop_db", (ctx, args) -> {
                    manager.stopDb();
                    return null;
                })
                .sync("start_db_with_conf_changes", (ctx, args) -> {
                    manager.startDbWithConfChanges(args.optionalText("config_contents"), memoryMb(args));
                    return null;
                })
                .sync("reset_configuration", (ctx, args) -> {
                    JsonNode configuration = args.optional("configuration");
                    JsonNode contents = configuration == null ? null : configuration.get("config_contents");
                    manager.resetConfiguration(contents == null || contents.isNull() ? null : contents.asText());
                    return null;
                })
                .sync("get_filesystem_stats", (ctx, args) -> manager.filesystemStats(args.optionalText("fs_path")))
                .sync("resize_fs", (ctx, args) -> {
                    manager.resizeFs(args.optionalText("mount_point"));
                    return null;
                })
                .sync("mount_volume", (ctx, args) -> {
                    manager.checkVolume(args.optionalText("mount_point"));
                    return null;
                })
                .sync("unmount_volume", (ctx, args) -> {
                    manager.checkVolume(args.optionalText("mount_point"));
                    return null;
                })
                .sync("rpc_ping", (ctx, args) -> BooleanNode.TRUE)
                .build();
    }

    /** TroveJ's extension to start_db_with_conf_changes: the new flavor's RAM, for settings sized by the agent. */
    private static Integer memoryMb(RpcArgs args) {
        JsonNode memory = args.optional("memory_mb");
        return memory == null ? null : memory.asInt();
    }
}
