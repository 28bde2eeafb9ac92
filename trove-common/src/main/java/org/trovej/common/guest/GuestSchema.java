package org.trovej.common.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * A database as Trove's guest models serialize it: {@code {"_name", "_collate", "_character_set"}}, in the order
 * Trove's DatastoreSchema sets them (openstack/trove trove/common/db/models.py), null for what was not given.
 */
public record GuestSchema(String name, String collate, String characterSet) {

    public static GuestSchema named(String name) {
        return new GuestSchema(name, null, null);
    }

    public ObjectNode toWire() {
        ObjectNode schema = PythonJson.object();
        schema.put("_name", name);
        schema.put("_collate", collate);
        schema.put("_character_set", characterSet);
        return schema;
    }

    /** Reads a guest's schema dict, unverified (Trove deserializes with verify=False). */
    public static GuestSchema fromWire(JsonNode dict) {
        if (dict == null || !dict.isObject()) {
            throw new IllegalArgumentException("a schema must be a dict, got " + dict);
        }
        return new GuestSchema(text(dict, "_name"), text(dict, "_collate"), text(dict, "_character_set"));
    }

    static String text(JsonNode dict, String field) {
        JsonNode value = dict.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
