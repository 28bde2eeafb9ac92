package org.trovej.conductor.inventory;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * A {@link MultiGauge} refreshed in place: each row is registered once and reads its value from the newest refresh,
 * and only rows that are gone are removed. Re-registering every row at each refresh (MultiGauge's overwrite) removes
 * and adds each gauge, and a scrape landing in between misses the series, which Prometheus then marks stale.
 */
final class SteadyMultiGauge {

    private final MultiGauge gauge;
    private volatile Map<Tags, Double> values = Map.of();

    SteadyMultiGauge(MultiGauge gauge) {
        this.gauge = gauge;
    }

    void update(Map<Tags, Double> next) {
        Map<Tags, Double> copy = Map.copyOf(next);
        values = copy;
        List<MultiGauge.Row<?>> rows = copy.keySet().stream()
                .<MultiGauge.Row<?>>map(tags -> MultiGauge.Row.of(tags, () -> values.getOrDefault(tags, Double.NaN)))
                .toList();
        gauge.register(rows, false);
    }
}
