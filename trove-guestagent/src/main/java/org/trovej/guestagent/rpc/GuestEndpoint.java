package org.trovej.guestagent.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.json.PythonJson;
import org.trovej.common.log.GuestLogAction;
import org.trovej.common.log.GuestLogInfo;
import org.trovej.common.pitr.LogShippingTarget;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.common.upgrade.UpgradeInfo;
import org.trovej.guestagent.datastore.Accounts;
import org.trovej.guestagent.datastore.DatabaseSpec;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.GuestErrors;
import org.trovej.guestagent.datastore.PrepareRequest;
import org.trovej.guestagent.datastore.UserSpec;

/**
 * The guest RPC API (topic {@code guestagent.<id>}, version 1.3) with Trove's method and argument names,
 * mapped onto the datastore manager. Methods a Trove guest has but this one does not answer NoSuchMethod,
 * as Trove's own guests do for what they do not implement.
 */
public final class GuestEndpoint {

    public static final String VERSION = "1.3";

    private GuestEndpoint() {
    }

    public static RpcEndpoint build(DatastoreManager<?, ?, ?> manager) {
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
                // cast: runs to its end (the heartbeat goes on) and reports through update_backup
                .sync("create_backup", (ctx, args) -> {
                    manager.createBackup(ctx, BackupRequest.fromWire(args.required("backup_info")));
                    return null;
                })
                // TroveJ's (point-in-time restore), cast by the task manager and again before its token expires; null stops
                .sync("set_log_shipping", (ctx, args) -> {
                    JsonNode shipping = args.optional("shipping");
                    manager.setLogShipping(ctx, shipping == null || shipping.isNull() ? null
                            : LogShippingTarget.fromWire(shipping));
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
                .sync("pre_upgrade", (ctx, args) -> manager.preUpgrade())
                // Trove casts upgrade and waits for the heartbeat; TroveJ's task manager calls it and waits for it
                .sync("upgrade", (ctx, args) -> {
                    manager.upgrade(UpgradeInfo.fromWire(args.required("upgrade_info")));
                    return null;
                })
                .sync("post_upgrade", (ctx, args) -> {
                    manager.postUpgrade(UpgradeInfo.fromWire(args.required("upgrade_info")));
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
                // calls: the control plane answers the user with what the engine refused (ConfigurationRefused)
                .sync("update_overrides", (ctx, args) -> {
                    manager.updateOverrides(overrides(args), flag(args, "remove"));
                    return null;
                })
                .sync("apply_overrides", (ctx, args) -> {
                    manager.applyOverrides(overrides(args));
                    return null;
                })
                .sync("get_filesystem_stats", (ctx, args) -> manager.filesystemStats(args.optionalText("fs_path")))
                .sync("resize_fs", (ctx, args) -> {
                    // Trove's default: a caller that does not say online stopped the database and unmounted
                    manager.resizeFs(args.optionalText("mount_point"), flag(args, "online"));
                    return null;
                })
                .sync("mount_volume", (ctx, args) -> {
                    manager.mountVolume(args.optionalText("mount_point"));
                    return null;
                })
                .sync("unmount_volume", (ctx, args) -> {
                    manager.unmountVolume(args.optionalText("mount_point"));
                    return null;
                })
                .sync("rpc_ping", (ctx, args) -> BooleanNode.TRUE)
                .sync("create_database", (ctx, args) -> {
                    accounts(manager).createDatabases(databases(args.required("databases")));
                    return null;
                })
                .sync("list_databases", (ctx, args) -> {
                    Accounts.Page<DatabaseSpec> page = accounts(manager).listDatabases(limit(args),
                            args.optionalText("marker"), flag(args, "include_marker"));
                    return pageReply(page.items().stream().map(DatabaseSpec::toWire).toList(), page.nextMarker());
                })
                .sync("delete_database", (ctx, args) -> {
                    accounts(manager).deleteDatabase(DatabaseSpec.from(args.required("database")));
                    return null;
                })
                .sync("create_user", (ctx, args) -> {
                    accounts(manager).createUsers(users(args.required("users")));
                    return null;
                })
                .sync("list_users", (ctx, args) -> {
                    Accounts.Page<UserSpec> page = accounts(manager).listUsers(limit(args),
                            args.optionalText("marker"), flag(args, "include_marker"));
                    return pageReply(page.items().stream().map(u -> u.withoutPassword().toWire()).toList(),
                            page.nextMarker());
                })
                .sync("get_user", (ctx, args) -> accounts(manager)
                        .getUser(args.text("username"), args.optionalText("hostname"))
                        .map(u -> (JsonNode) u.withoutPassword().toWire()).orElse(null))
                .sync("delete_user", (ctx, args) -> {
                    accounts(manager).deleteUser(UserSpec.from(args.required("user")));
                    return null;
                })
                .sync("update_attributes", (ctx, args) -> {
                    JsonNode attrs = args.required("user_attrs");
                    accounts(manager).updateAttributes(args.text("username"), args.optionalText("hostname"),
                            text(attrs, "name"), text(attrs, "host"), text(attrs, "password"));
                    return null;
                })
                .sync("change_passwords", (ctx, args) -> {
                    accounts(manager).changePasswords(users(args.required("users")));
                    return null;
                })
                .sync("list_access", (ctx, args) -> {
                    ArrayNode dbs = PythonJson.array();
                    accounts(manager).listAccess(args.text("username"), args.optionalText("hostname"))
                            .forEach(db -> dbs.add(db.toWire()));
                    return dbs;
                })
                .sync("grant_access", (ctx, args) -> {
                    List<String> names = new ArrayList<>();
                    args.required("databases").forEach(db -> names.add(db.isTextual() ? db.asText()
                            : DatabaseSpec.from(db).name()));
                    accounts(manager).grantAccess(args.text("username"), args.optionalText("hostname"), names);
                    return null;
                })
                .sync("revoke_access", (ctx, args) -> {
                    accounts(manager).revokeAccess(args.text("username"), args.optionalText("hostname"),
                            args.text("database"));
                    return null;
                })
                .sync("enable_root", (ctx, args) -> accounts(manager).enableRoot(null).toWire())
                .sync("enable_root_with_password", (ctx, args) -> accounts(manager)
                        .enableRoot(args.optionalText("root_password")).toWire())
                .sync("disable_root", (ctx, args) -> {
                    accounts(manager).disableRoot();
                    return null;
                })
                .sync("is_root_enabled", (ctx, args) -> BooleanNode.valueOf(accounts(manager).rootEnabled()))
                // guest logs: the context carries the caller's admin flag and the object store to publish to
                .sync(GuestLogInfo.LIST_METHOD, (ctx, args) -> {
                    ArrayNode logs = PythonJson.array();
                    manager.guestLogs().list(ctx).forEach(l -> logs.add(l.toWire()));
                    return logs;
                })
                .sync(GuestLogInfo.ACTION_METHOD, (ctx, args) -> manager.guestLogs()
                        .action(ctx, GuestLogAction.fromWire(args.asObject())).toWire())
                // replication (Trove's guest API; the task manager's sequences are in trove-rpc.md §6.5)
                .sync("backup_required_for_replication",
                        (ctx, args) -> BooleanNode.valueOf(manager.backupRequiredForReplication()))
                .sync("get_replication_snapshot",
                        (ctx, args) -> manager.replicationSnapshot(ctx, args.required("snapshot_info")))
                .sync("get_replica_context", (ctx, args) -> manager.replicaContext())
                .sync("enable_as_master", (ctx, args) -> {
                    manager.enableAsMaster();
                    return null;
                })
                .sync("attach_replica", (ctx, args) -> {
                    manager.attachReplica(object(args, "replica_info"), flag(args, "restart"));
                    return null;
                })
                .sync("detach_replica", (ctx, args) -> manager.detachReplica(flag(args, "for_failover")))
                .sync("make_read_only", (ctx, args) -> {
                    manager.makeReadOnly(flag(args, "read_only"));
                    return null;
                })
                .sync("demote_replication_master", (ctx, args) -> {
                    manager.demoteReplicationMaster();
                    return null;
                })
                .sync("get_latest_txn_id", (ctx, args) -> TextNode.valueOf(manager.latestTxnId()))
                .sync("get_last_txn", (ctx, args) -> manager.lastTxn())
                .sync("wait_for_txn", (ctx, args) -> {
                    manager.waitForTxn(args.text("txn"), WAIT_FOR_TXN);
                    return null;
                })
                .build();
    }

    /** Trove's guests wait 60 s for a transaction (postgres/manager.py, mysql service.py wait_for_txn). */
    private static final Duration WAIT_FOR_TXN = Duration.ofSeconds(60);

    private static ObjectNode object(RpcArgs args, String name) {
        JsonNode value = args.required(name);
        if (!value.isObject()) {
            throw GuestErrors.badRequest(name + " must be a dict");
        }
        return (ObjectNode) value;
    }

    /** A configuration group's values: {@code overrides}, a dict of parameter → value (absent or null: none). */
    private static ObjectNode overrides(RpcArgs args) {
        JsonNode overrides = args.optional("overrides");
        if (overrides == null || overrides.isNull()) {
            return PythonJson.object();
        }
        if (!overrides.isObject()) {
            throw GuestErrors.badRequest("overrides must be a dict of parameter names to values");
        }
        return (ObjectNode) overrides;
    }

    private static Accounts accounts(DatastoreManager<?, ?, ?> manager) {
        return manager.accounts();
    }

    private static List<DatabaseSpec> databases(JsonNode list) {
        List<DatabaseSpec> result = new ArrayList<>();
        list.forEach(db -> result.add(DatabaseSpec.from(db)));
        return result;
    }

    private static List<UserSpec> users(JsonNode list) {
        List<UserSpec> result = new ArrayList<>();
        list.forEach(u -> result.add(UserSpec.from(u)));
        return result;
    }

    private static Integer limit(RpcArgs args) {
        JsonNode limit = args.optional("limit");
        return limit == null ? null : limit.asInt();
    }

    private static boolean flag(RpcArgs args, String name) {
        JsonNode value = args.optional(name);
        return value != null && value.asBoolean();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Trove's list replies: {@code [[items...], next_marker]}. */
    private static JsonNode pageReply(List<ObjectNode> items, String nextMarker) {
        ArrayNode reply = PythonJson.array();
        ArrayNode list = reply.addArray();
        items.forEach(list::add);
        if (nextMarker == null) {
            reply.addNull();
        } else {
            reply.add(nextMarker);
        }
        return reply;
    }

    /** TroveJ's extension to start_db_with_conf_changes: the new flavor's RAM, for settings sized by the agent. */
    private static Integer memoryMb(RpcArgs args) {
        JsonNode memory = args.optional("memory_mb");
        return memory == null ? null : memory.asInt();
    }
}
