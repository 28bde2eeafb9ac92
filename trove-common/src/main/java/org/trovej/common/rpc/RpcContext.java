package org.trovej.common.rpc;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * Trove's request context as it travels in RPC messages: the dict of {@code TroveContext.to_dict()},
 * keys in Trove's order. Immutable; the {@code with*} methods return copies.
 */
public final class RpcContext {

    private static final String[] TROVE_KEYS = {
        "user", "project_id", "system_scope", "project", "domain", "user_domain", "project_domain",
        "is_admin", "read_only", "show_deleted", "auth_token", "request_id", "global_request_id",
        "resource_uuid", "roles", "user_identity", "is_admin_project", "limit", "marker", "service_catalog"
    };

    private final ObjectNode values;

    private RpcContext(ObjectNode values) {
        this.values = values;
    }

    /** A context for a service's own work (no user), with a fresh request id. */
    public static RpcContext service() {
        return user(null, null, false);
    }

    /** A context acting for a user of a project. */
    public static RpcContext user(String userId, String projectId, boolean admin) {
        ObjectNode v = PythonJson.object();
        for (String key : TROVE_KEYS) {
            v.putNull(key);
        }
        v.put("user", userId);
        v.put("project_id", projectId);
        v.put("project", projectId);
        v.put("is_admin", admin);
        v.put("read_only", false);
        v.put("show_deleted", false);
        v.put("request_id", "req-" + UUID.randomUUID());
        v.putArray("roles");
        v.put("user_identity", dash(userId) + " " + dash(projectId) + " - - -");
        v.put("is_admin_project", true);
        return new RpcContext(v);
    }

    /** Wraps a context dict received from the wire (copied). */
    public static RpcContext fromDict(ObjectNode dict) {
        return new RpcContext(dict.deepCopy());
    }

    public static RpcContext empty() {
        return new RpcContext(PythonJson.object());
    }

    /** The dict, in wire order; a copy. */
    public ObjectNode toDict() {
        return values.deepCopy();
    }

    public JsonNode get(String key) {
        return values.get(key);
    }

    public String text(String key) {
        JsonNode node = values.get(key);
        return node == null || node.isNull() ? null : node.asText();
    }

    public String requestId() {
        return text("request_id");
    }

    public String projectId() {
        return text("project_id");
    }

    public String userId() {
        return text("user");
    }

    public boolean isAdmin() {
        JsonNode node = values.get("is_admin");
        return node != null && node.asBoolean();
    }

    /** The instance a conductor message came from, set by the conductor's host serializer. */
    public String instanceId() {
        return text("instance_id");
    }

    public RpcContext with(String key, JsonNode value) {
        ObjectNode copy = values.deepCopy();
        copy.set(key, value);
        return new RpcContext(copy);
    }

    public RpcContext with(String key, String value) {
        return with(key, value == null ? PythonJson.nodes().nullNode() : PythonJson.nodes().textNode(value));
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    @Override
    public String toString() {
        // The context may carry an auth token: never print it.
        return "RpcContext[request_id=" + requestId() + ", project_id=" + projectId() + "]";
    }
}
