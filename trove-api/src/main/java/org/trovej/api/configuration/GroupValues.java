package org.trovej.api.configuration;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.configuration.ParameterRule;
import org.trovej.common.json.PythonJson;

/**
 * A configuration group's values as guests get them ({@code overrides}: typed per parameter) and what applying them
 * takes: which need a restart to take effect (also any the catalogue no longer knows), and the value each parameter
 * returns to when the group is taken away (null where the catalogue knows none).
 */
public record GroupValues(String configurationId, String name, String tenantId, String datastoreVersionId,
                          Map<String, JsonNode> values, Set<String> restartRequired, Map<String, JsonNode> defaults,
                          Map<String, ParameterRule> rules) {

    /** A value given as text (a rendered template's), typed by its parameter's rule as the guest must get it. */
    public JsonNode typed(String name, String text) {
        return ParameterValues.typed(rules.get(name), text);
    }

    public boolean needsRestart() {
        return !restartRequired.isEmpty();
    }

    /** The {@code overrides} argument of the guest's update_overrides: every value. */
    public ObjectNode overrides() {
        ObjectNode o = PythonJson.object();
        values.forEach(o::set);
        return o;
    }

    /** The values that take effect without a restart, for apply_overrides. */
    public ObjectNode dynamicOverrides() {
        ObjectNode o = PythonJson.object();
        values.forEach((k, v) -> {
            if (!restartRequired.contains(k)) {
                o.set(k, v);
            }
        });
        return o;
    }
}
