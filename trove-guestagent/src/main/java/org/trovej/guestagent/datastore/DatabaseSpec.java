package org.trovej.guestagent.datastore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/** A database as Trove serializes it: {@code {"_name", "_character_set", "_collate"}} (the last two may be null). */
public record DatabaseSpec(String name, String characterSet, String collate) {

    public static DatabaseSpec from(JsonNode node) {
        String name = text(node, "_name");
        if (name == null) {
            name = text(node, "name");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a database without a name");
        }
        return new DatabaseSpec(name, text(node, "_character_set"), text(node, "_collate"));
    }

    /** Trove's serialized schema, as its guest returns it from list_databases and list_access. */
    public ObjectNode toWire() {
        ObjectNode node = PythonJson.object();
        node.put("_name", name);
        node.put("_collate", collate);
        node.put("_character_set", characterSet);
        return node;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
