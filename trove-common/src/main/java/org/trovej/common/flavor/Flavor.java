package org.trovej.common.flavor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * A compute flavor as Trove sees it (Nova's flavor attributes that Trove uses).
 *
 * @param id        Nova flavor ids are strings
 * @param ram       MB
 * @param disk      root disk, GB
 * @param ephemeral ephemeral disk, GB
 */
public record Flavor(String id, String name, int ram, int vcpus, int disk, int ephemeral) {

    public Flavor {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a flavor needs an id");
        }
        name = name == null ? id : name;
        if (ram <= 0 || vcpus <= 0 || disk < 0 || ephemeral < 0) {
            throw new IllegalArgumentException("flavor " + id + ": ram and vcpus must be positive, disks not negative");
        }
    }

    /** The flavor dict the task manager RPC API carries ({@code create_instance}, {@code resize_flavor}). */
    public ObjectNode toWire() {
        ObjectNode dict = PythonJson.object();
        dict.put("id", id);
        dict.put("name", name);
        dict.put("ram", ram);
        dict.put("vcpus", vcpus);
        dict.put("disk", disk);
        dict.put("ephemeral", ephemeral);
        return dict;
    }

    /**
     * Reads a flavor dict as Trove's API sends it. Nova's own dicts name the ephemeral disk
     * {@code OS-FLV-EXT-DATA:ephemeral} and may carry a numeric id; both are accepted.
     */
    public static Flavor fromWire(JsonNode dict) {
        if (dict == null || !dict.isObject()) {
            throw new IllegalArgumentException("a flavor must be a dict");
        }
        JsonNode ephemeral = dict.has("ephemeral") ? dict.get("ephemeral") : dict.get("OS-FLV-EXT-DATA:ephemeral");
        return new Flavor(text(dict, "id"), dict.hasNonNull("name") ? dict.get("name").asText() : null,
                dict.path("ram").asInt(), dict.path("vcpus").asInt(), dict.path("disk").asInt(),
                ephemeral == null ? 0 : ephemeral.asInt());
    }

    private static String text(JsonNode dict, String field) {
        JsonNode value = dict.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
