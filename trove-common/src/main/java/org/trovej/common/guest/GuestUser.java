package org.trovej.common.guest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * A user as Trove's guest models serialize it: {@code {"_name", "_password", "_host", "_databases", "_is_root"}}
 * in the order Trove's DatastoreUser sets them (openstack/trove trove/common/db/models.py); the API's guest calls
 * and the create request both write it. The password travels to the guest (sealed with the instance's
 * key) and is never printed: {@link #toString()} leaves it out.
 *
 * @param host      {@code %} when not given, as Trove defaults it
 * @param databases the databases the user has access to
 */
public record GuestUser(String name, String host, String password, List<GuestSchema> databases, boolean root) {

    public GuestUser {
        host = host == null ? "%" : host;
        databases = databases == null ? List.of() : List.copyOf(databases);
    }

    public static GuestUser of(String name, String host) {
        return new GuestUser(name, host, null, List.of(), false);
    }

    /** A user to create with a password and access to the named databases (Trove's populate_users). */
    public static GuestUser withAccess(String name, String password, String host, List<String> databases) {
        return new GuestUser(name, host, password, databases == null ? List.of()
                : databases.stream().map(GuestSchema::named).toList(), false);
    }

    /** {@code user@host}, the key users are listed and paged by. */
    public String userAtHost() {
        return name + "@" + host;
    }

    public ObjectNode toWire() {
        ObjectNode user = PythonJson.object();
        user.put("_name", name);
        user.put("_password", password);
        user.put("_host", host);
        ArrayNode dbs = user.putArray("_databases");
        databases.forEach(db -> dbs.add(db.toWire()));
        user.put("_is_root", root);
        return user;
    }

    /** Reads a guest's user dict, unverified (Trove deserializes with verify=False). */
    public static GuestUser fromWire(JsonNode dict) {
        if (dict == null || !dict.isObject()) {
            throw new IllegalArgumentException("a user must be a dict, got a " + (dict == null ? "null"
                    : dict.getNodeType()));
        }
        List<GuestSchema> dbs = new ArrayList<>();
        JsonNode databases = dict.get("_databases");
        if (databases != null && databases.isArray()) {
            databases.forEach(db -> dbs.add(GuestSchema.fromWire(db)));
        }
        JsonNode root = dict.get("_is_root");
        return new GuestUser(GuestSchema.text(dict, "_name"), GuestSchema.text(dict, "_host"),
                GuestSchema.text(dict, "_password"), dbs, root != null && root.asBoolean());
    }

    @Override
    public String toString() {
        return "GuestUser[name=" + name + ", host=" + host + ", databases=" + databases + ", root=" + root + "]";
    }
}
