package org.trovej.common.taskmanager;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * A database to create with the instance, serialized as Trove's guest models are (trove/common/db/models.py:
 * {@code _name}, ...).
 */
public record InstanceDatabase(String name, String characterSet, String collate) {

    public InstanceDatabase {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a database needs a name");
        }
    }

    public static InstanceDatabase named(String name) {
        return new InstanceDatabase(name, null, null);
    }

    public ObjectNode toWire() {
        ObjectNode schema = PythonJson.object();
        schema.put("_name", name);
        schema.put("_character_set", characterSet);
        schema.put("_collate", collate);
        return schema;
    }
}
