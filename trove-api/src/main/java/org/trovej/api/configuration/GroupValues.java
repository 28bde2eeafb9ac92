package org.trovej.api.configuration;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * A configuration group's values as guests get them ({@code overrides}: typed per parameter) and what applying them
 * takes: whether one needs a restart, and the value each parameter returns to when the group is taken away (null
 * where the catalogue knows none).
 */
public record GroupValues(String configurationId, String name, String tenantId, String datastoreVersionId,
                          Map<String, JsonNode> values, boolean needsRestart, Map<String, JsonNode> defaults) {

    /** The {@code overrides} argument of the guest's update_overrides and apply_overrides. */
    public ObjectNode overrides() {
        ObjectNode o = PythonJson.object();
        values.forEach(o::set);
        return o;
    }
}
