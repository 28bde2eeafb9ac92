package org.trovej.guestagent.datastore;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * A user as Trove serializes it: {@code {"_name", "_password", "_host", "_databases": [{"_name"}]}}.
 * The password is never part of {@link #toString()}.
 */
public record UserSpec(String name, String password, String host, List<String> databases) {

    public static UserSpec from(JsonNode node) {
        String name = DatabaseSpec.text(node, "_name");
        if (name == null && node != null && node.has("name")) {
            // change_passwords sends plain keys: {"name", "host", "password"}
            String host = DatabaseSpec.text(node, "host");
            return new UserSpec(DatabaseSpec.text(node, "name"), DatabaseSpec.text(node, "password"),
                    host == null || host.isEmpty() ? "%" : host, List.of());
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a user without a name");
        }
        List<String> databases = new ArrayList<>();
        JsonNode dbs = node.get("_databases");
        if (dbs != null && dbs.isArray()) {
            dbs.forEach(db -> databases.add(db.isTextual() ? db.asText() : DatabaseSpec.from(db).name()));
        }
        String host = DatabaseSpec.text(node, "_host");
        return new UserSpec(name, DatabaseSpec.text(node, "_password"), host == null || host.isEmpty() ? "%" : host,
                List.copyOf(databases));
    }

    /**
     * Trove's serialized user; the password only where it must travel (the root user enable_root returns),
     * never for users that are listed.
     */
    public ObjectNode toWire() {
        ObjectNode node = PythonJson.object();
        node.put("_name", name);
        node.put("_host", host);
        node.put("_password", password);
        ArrayNode dbs = node.putArray("_databases");
        databases.forEach(db -> dbs.add(new DatabaseSpec(db, null, null).toWire()));
        node.put("_is_root", false);
        return node;
    }

    public UserSpec withoutPassword() {
        return password == null ? this : new UserSpec(name, null, host, databases);
    }

    @Override
    public String toString() {
        return "UserSpec[name=" + name + ", host=" + host + ", databases=" + databases + "]";
    }
}
