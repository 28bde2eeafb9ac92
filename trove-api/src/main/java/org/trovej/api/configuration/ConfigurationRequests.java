package org.trovej.api.configuration;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;

/**
 * Trove's request schemas for configuration groups (apischema.configuration create/update/edit), with Trove's 400
 * messages. Names and descriptions are also held to the lengths of their columns (64 and 256), which Trove leaves
 * to the database.
 */
final class ConfigurationRequests {

    private static final String NON_EMPTY = "^.*[0-9a-zA-Z]+.*$";

    record Create(String name, String description, JsonNode values, String datastoreType, String datastoreVersion,
                  String datastoreVersionNumber) {
    }

    /** {@code values} null: none given (PUT then removes every value). */
    record Update(String name, boolean hasDescription, String description, JsonNode values) {
    }

    record Edit(JsonNode values) {
    }

    Create create(JsonNode body) {
        Violations v = Violations.create();
        JsonNode c = wrapper(v, body);
        String path = "configuration";
        if (c != null) {
            Schemas.required(v, path, c, "values", "name");
            name(v, c);
            description(v, c);
            values(v, c);
            JsonNode ds = c.get("datastore");
            if (ds != null && Schemas.object(v, Violations.key(path, "datastore"), ds)) {
                for (String key : new String[] {"type", "version", "version_number"}) {
                    if (ds.has(key)) {
                        Schemas.string(v, Violations.key(Violations.key(path, "datastore"), key), ds.get(key), 1,
                                null, NON_EMPTY);
                    }
                }
            }
        }
        v.throwIfAny();
        JsonNode ds = c.get("datastore");
        return new Create(c.get("name").textValue(), text(c, "description"), c.get("values"), text(ds, "type"),
                text(ds, "version"), text(ds, "version_number"));
    }

    Update update(JsonNode body) {
        Violations v = Violations.create();
        JsonNode c = wrapper(v, body);
        if (c != null) {
            name(v, c);
            description(v, c);
            values(v, c);
        }
        v.throwIfAny();
        return new Update(text(c, "name"), c.has("description"), text(c, "description"), c.get("values"));
    }

    Edit edit(JsonNode body) {
        Violations v = Violations.create();
        JsonNode c = wrapper(v, body);
        if (c != null) {
            values(v, c);
        }
        v.throwIfAny();
        return new Edit(c.get("values"));
    }

    private static JsonNode wrapper(Violations v, JsonNode body) {
        if (!Schemas.object(v, "", body) || !Schemas.required(v, "", body, "configuration")) {
            return null;
        }
        JsonNode c = body.get("configuration");
        return Schemas.object(v, "configuration", c) ? c : null;
    }

    private static void name(Violations v, JsonNode c) {
        if (c.has("name")) {
            Schemas.string(v, Violations.key("configuration", "name"), c.get("name"), 1, 64, NON_EMPTY);
        }
    }

    private static void description(Violations v, JsonNode c) {
        if (c.has("description")) {
            Schemas.string(v, Violations.key("configuration", "description"), c.get("description"), 1, 256,
                    NON_EMPTY);
        }
    }

    private static void values(Violations v, JsonNode c) {
        if (c.has("values")) {
            Schemas.object(v, Violations.key("configuration", "values"), c.get("values"));
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode n = node == null ? null : node.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }
}
