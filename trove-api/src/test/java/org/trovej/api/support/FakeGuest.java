package org.trovej.api.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.common.rpc.RpcFailure;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.service.keys.InstanceKeyStore;

/**
 * A stand-in guest agent for one instance: serves the database, user and root methods on
 * {@code guestagent.<id>} with the instance's own key, keeps databases and users in memory, pages lists the way
 * Trove's guests do (paginate_list) and records every call with its decrypted arguments. {@link #failNext} makes
 * the next call fail with a Trove exception class.
 */
public final class FakeGuest implements AutoCloseable {

    /** A call as the guest received it. */
    public record Call(String method, ObjectNode args) {
    }

    private final TreeMap<String, ObjectNode> databases = new TreeMap<>();
    /** Keyed by {@code name@host}. */
    private final TreeMap<String, ObjectNode> users = new TreeMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final RpcServer server;
    private volatile RpcFailure nextFailure;
    private volatile String failingMethod;
    private volatile boolean rootEnabled;

    private FakeGuest(RpcTransport transport, String instanceId, String key) {
        RpcEndpoint.Builder endpoint = RpcEndpoint.builder("1.3");
        method(endpoint, "list_databases", a -> page(databases, a));
        method(endpoint, "create_database", a -> {
            for (JsonNode db : a.required("databases")) {
                String name = db.get("_name").asText();
                if (databases.containsKey(name)) {
                    throw failure("DatabaseAlreadyExists", "A database with the name \"" + name + "\" already exists.");
                }
                databases.put(name, (ObjectNode) db.deepCopy());
            }
            return null;
        });
        method(endpoint, "delete_database", a -> {
            String name = a.required("database").get("_name").asText();
            if (databases.remove(name) == null) {
                throw failure("DatabaseNotFound", "Database " + name + " cannot be found on the instance.");
            }
            return null;
        });
        method(endpoint, "list_users", a -> page(users, a));
        method(endpoint, "create_user", a -> {
            for (JsonNode user : a.required("users")) {
                ObjectNode stored = (ObjectNode) user.deepCopy();
                users.put(stored.get("_name").asText() + "@" + stored.get("_host").asText(), stored);
            }
            return null;
        });
        method(endpoint, "get_user", a -> {
            ObjectNode user = users.get(a.text("username") + "@" + a.text("hostname"));
            return user == null ? null : withoutPassword(user);
        });
        method(endpoint, "delete_user", a -> {
            JsonNode user = a.required("user");
            users.remove(user.get("_name").asText() + "@" + user.get("_host").asText());
            return null;
        });
        method(endpoint, "update_attributes", a -> {
            ObjectNode user = user(a);
            JsonNode attrs = a.required("user_attrs");
            users.remove(user.get("_name").asText() + "@" + user.get("_host").asText());
            if (attrs.hasNonNull("name")) {
                user.put("_name", attrs.get("name").asText());
            }
            if (attrs.hasNonNull("host")) {
                user.put("_host", attrs.get("host").asText());
            }
            if (attrs.hasNonNull("password")) {
                user.put("_password", attrs.get("password").asText());
            }
            users.put(user.get("_name").asText() + "@" + user.get("_host").asText(), user);
            return null;
        });
        method(endpoint, "change_passwords", a -> {
            for (JsonNode change : a.required("users")) {
                ObjectNode user = users.get(change.get("name").asText() + "@" + change.get("host").asText());
                if (user == null) {
                    throw failure("UserNotFound", "User " + change.get("name").asText() + " cannot be found on the "
                            + "instance.");
                }
                user.put("_password", change.get("password").asText());
            }
            return null;
        });
        method(endpoint, "list_access", a -> user(a).get("_databases").deepCopy());
        method(endpoint, "grant_access", a -> {
            ObjectNode user = user(a);
            ArrayNode access = (ArrayNode) user.get("_databases");
            for (JsonNode name : a.required("databases")) {
                if (!databases.containsKey(name.asText())) {
                    throw failure("DatabaseNotFound", "Database " + name.asText() + " cannot be found on the "
                            + "instance.");
                }
                boolean has = false;
                for (JsonNode db : access) {
                    has |= db.get("_name").asText().equals(name.asText());
                }
                if (!has) {
                    access.add(databases.get(name.asText()).deepCopy());
                }
            }
            return null;
        });
        method(endpoint, "revoke_access", a -> {
            ArrayNode access = (ArrayNode) user(a).get("_databases");
            for (int i = access.size() - 1; i >= 0; i--) {
                if (access.get(i).get("_name").asText().equals(a.text("database"))) {
                    access.remove(i);
                }
            }
            return null;
        });
        method(endpoint, "enable_root", a -> root("Generated-Root-Pass-1"));
        method(endpoint, "enable_root_with_password", a -> root(a.text("root_password")));
        method(endpoint, "disable_root", a -> {
            rootEnabled = false;
            return null;
        });
        method(endpoint, "is_root_enabled", a -> PythonJson.nodes().booleanNode(rootEnabled));
        // configuration groups: recorded, nothing else (the engines' side is tested in the guest agent's tests)
        method(endpoint, "update_overrides", a -> null);
        method(endpoint, "apply_overrides", a -> null);
        this.server = new RpcServer(transport, Topics.guest(instanceId), instanceId, new SecureSerializer(key),
                endpoint.build(), RpcServer.Options.defaults()).start();
    }

    /** Gives the (new) instance a key, as the API's create does, and starts its guest with it. */
    public static FakeGuest start(RpcTransport transport, JdbcTemplate jdbc, InstanceKeyStore keys,
                                  String instanceId) {
        InstanceKeyStore.NewKey key = keys.newKey();
        jdbc.update("UPDATE instances SET encrypted_key = ? WHERE id = ?", key.sealed(), instanceId);
        return new FakeGuest(transport, instanceId, key.key());
    }

    /** A database the guest has without the API having made it (a system database, say). */
    public synchronized void seedDatabase(String name) {
        databases.put(name, GuestSchemaWire.of(name));
    }

    /** A user the guest has without the API having made it. */
    public synchronized void seedUser(String name, String host) {
        ObjectNode user = PythonJson.object();
        user.put("_name", name);
        user.putNull("_password");
        user.put("_host", host);
        user.putArray("_databases");
        user.put("_is_root", false);
        users.put(name + "@" + host, user);
    }

    /** The next call fails with this Trove exception class and message. */
    public void failNext(String exceptionClass, String message) {
        failNext(null, exceptionClass, message);
    }

    /** The next call of {@code method} fails with this Trove exception class and message. */
    public void failNext(String method, String exceptionClass, String message) {
        failingMethod = method;
        nextFailure = failure(exceptionClass, message);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    /** The methods that change something, in the order they came. */
    public List<String> changes() {
        return calls.stream().map(Call::method).filter(m -> !m.startsWith("list_") && !m.equals("get_user")
                && !m.equals("is_root_enabled")).toList();
    }

    public synchronized Map<String, ObjectNode> databases() {
        return Map.copyOf(databases);
    }

    public synchronized Map<String, ObjectNode> users() {
        return Map.copyOf(users);
    }

    @Override
    public void close() {
        server.close();
    }

    private void method(RpcEndpoint.Builder endpoint, String name, Function<RpcArgs, JsonNode> body) {
        endpoint.sync(name, (context, args) -> {
            calls.add(new Call(name, args.asObject().deepCopy()));
            RpcFailure failure = nextFailure;
            if (failure != null && (failingMethod == null || failingMethod.equals(name))) {
                nextFailure = null;
                throw failure;
            }
            synchronized (this) {
                return body.apply(args);
            }
        });
    }

    private ObjectNode user(RpcArgs a) {
        ObjectNode user = users.get(a.text("username") + "@" + a.text("hostname"));
        if (user == null) {
            throw failure("UserNotFound", "User " + a.text("username") + " cannot be found on the instance.");
        }
        return user;
    }

    private JsonNode root(String password) {
        rootEnabled = true;
        ObjectNode root = PythonJson.object();
        root.put("_name", "root");
        root.put("_password", password);
        root.put("_host", "%");
        root.putArray("_databases");
        root.put("_is_root", true);
        return root;
    }

    private static ObjectNode withoutPassword(ObjectNode user) {
        ObjectNode copy = user.deepCopy();
        copy.putNull("_password");
        return copy;
    }

    /** Trove's paginate_list: sorted by key, from the marker (inclusive or not), next marker when cut short. */
    private static JsonNode page(TreeMap<String, ObjectNode> items, RpcArgs a) {
        JsonNode limitNode = a.optional("limit");
        int limit = limitNode == null || limitNode.isNull() ? 0 : limitNode.asInt();
        String marker = a.optionalText("marker");
        boolean include = a.optional("include_marker") != null && a.optional("include_marker").asBoolean();
        List<Map.Entry<String, ObjectNode>> rest = new ArrayList<>((marker == null ? items
                : items.tailMap(marker, include)).entrySet());
        ArrayNode result = PythonJson.array();
        ArrayNode page = result.addArray();
        List<Map.Entry<String, ObjectNode>> taken = limit > 0 && limit < rest.size() ? rest.subList(0, limit) : rest;
        taken.forEach(e -> page.add(e.getValue().has("_password") ? withoutPassword(e.getValue()) : e.getValue()));
        if (taken.size() < rest.size()) {
            result.add(taken.get(taken.size() - 1).getKey());
        } else {
            result.addNull();
        }
        return result;
    }

    /** A schema dict as Trove's guest serializes one. */
    private static final class GuestSchemaWire {
        static ObjectNode of(String name) {
            ObjectNode schema = PythonJson.object();
            schema.put("_name", name);
            schema.putNull("_collate");
            schema.putNull("_character_set");
            return schema;
        }
    }

    private static RpcFailure failure(String exceptionClass, String message) {
        return new RpcFailure("trove.common.exception", exceptionClass, message);
    }
}
