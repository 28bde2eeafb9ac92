package org.trovej.guestagent.datastore;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A user as Trove serializes it: {@code {"_name", "_password", "_host", "_databases": [{"_name"}]}}.
 * The password is never part of {@link #toString()}.
 */
public record UserSpec(String name, String password, String host, List<String> databases) {

    public static UserSpec from(JsonNode node) {
        String name = DatabaseSpec.text(node, "_name");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a user without a name");
        }
        List<String> databases = new ArrayList<>();
        JsonNode dbs = node.get("_databases");
        if (dbs != null && dbs.isArray()) {
            dbs.forEach(db -> databases.add(db.isTextual() ? db.asText() : DatabaseSpec.from(db).name()));
        }
        String host = DatabaseSpec.text(node, "_host");
        return new UserSpec(name, DatabaseSpec.text(node, "_password"), host == null ? "%" : host,
                List.copyOf(databases));
    }

    @Override
    public String toString() {
        return "UserSpec[name=" + name + ", host=" + host + ", databases=" + databases + "]";
    }
}
