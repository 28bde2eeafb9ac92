package org.trovej.common.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/** The {@code parent} of an incremental backup as Trove's backup_info carries it: where it is, its checksum. */
public record BackupParent(String location, String checksum) {

    public ObjectNode toWire() {
        ObjectNode parent = PythonJson.object();
        parent.put("location", location);
        parent.put("checksum", checksum);
        return parent;
    }

    /** null for an absent or JSON-null parent. */
    public static BackupParent fromWire(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return new BackupParent(node.path("location").asText(null), node.path("checksum").asText(null));
    }
}
