package org.trovej.api.datastore;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.trovej.api.datastore.ConfigurationParameterRecords.ConfigurationParameter;

/**
 * Trove's views of a datastore version's configuration parameters (configuration/views.py): the public one names
 * the bounds {@code max}/{@code min}, the management one {@code max_size}/{@code min_size}; a bound is shown when
 * set and not zero. Bounds are stored as text and shown as JSON numbers: integers of any size, or decimals (float
 * parameters), where Trove's {@code int()} would fail on a decimal.
 */
public final class ParameterViews {

    private ParameterViews() {
    }

    public static Map<String, List<Map<String, Object>>> list(List<ConfigurationParameter> parameters,
                                                               boolean management) {
        return Map.of("configuration-parameters", parameters.stream().map(p -> view(p, management)).toList());
    }

    public static Map<String, Object> view(ConfigurationParameter p, boolean management) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", p.name());
        view.put("datastore_version_id", p.versionId());
        view.put("restart_required", p.restartRequired());
        view.put("type", p.dataType());
        Number max = number(p.maxSize());
        Number min = number(p.minSize());
        if (max != null) {
            view.put(management ? "max_size" : "max", max);
        }
        if (min != null) {
            view.put(management ? "min_size" : "min", min);
        }
        return view;
    }

    /** A stored bound as a number; null when absent, zero or not a number. */
    static Number number(String stored) {
        if (stored == null || stored.isBlank()) {
            return null;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(stored.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (value.signum() == 0) {
            return null;
        }
        return value.stripTrailingZeros().scale() <= 0 ? value.toBigIntegerExact() : value;
    }
}
