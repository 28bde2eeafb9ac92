package org.trovej.common.upgrade;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * The {@code upgrade_info} of the guest's {@code upgrade} and {@code post_upgrade} (trove/guestagent/api.py): Trove
 * sends what the guest's {@code pre_upgrade} answered plus {@code datastore_version}, the new version's name. TroveJ
 * adds {@code datastore_version_number} (e.g. {@code 15.20}: the version as the engine reports it) and, where the
 * compute back end keeps several installations on one host (the local back end), {@code datastore_settings}: the
 * guest's settings section for the new version (its programs). Without them the guest upgrades to the programs it
 * already runs (Trove's image-based case: a restart on them). Written by the task manager, read by the guest.
 */
public record UpgradeInfo(String datastoreVersion, String datastoreVersionNumber, Map<String, String> settings) {

    public UpgradeInfo {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    public ObjectNode toWire(JsonNode fromPreUpgrade) {
        ObjectNode info = fromPreUpgrade instanceof ObjectNode given ? given.deepCopy() : PythonJson.object();
        info.put("datastore_version", datastoreVersion);
        info.put("datastore_version_number", datastoreVersionNumber);
        if (!settings.isEmpty()) {
            ObjectNode section = info.putObject("datastore_settings");
            new TreeMap<>(settings).forEach(section::put);
        }
        return info;
    }

    public static UpgradeInfo fromWire(JsonNode info) {
        Map<String, String> settings = new LinkedHashMap<>();
        JsonNode section = info == null ? null : info.get("datastore_settings");
        if (section != null && section.isObject()) {
            section.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    settings.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return new UpgradeInfo(text(info, "datastore_version"), text(info, "datastore_version_number"), settings);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
    }
}
