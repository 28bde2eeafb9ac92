package org.trovej.conductor.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** A refresh changes values in place and removes only rows that are gone: a scrape never finds a series missing. */
class SteadyMultiGaugeTest {

    @Test
    void rowsStayRegisteredAcrossRefreshesAndReadTheNewestValues() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SteadyMultiGauge gauge = new SteadyMultiGauge(MultiGauge.builder("trovej.instances").register(registry));
        Tags active = Tags.of("status", "ACTIVE");
        Tags error = Tags.of("status", "ERROR");

        gauge.update(Map.of(active, 2d, error, 1d));
        Gauge first = registry.get("trovej.instances").tags(active).gauge();
        assertThat(first.value()).isEqualTo(2d);

        gauge.update(Map.of(active, 5d));
        Gauge second = registry.get("trovej.instances").tags(active).gauge();
        assertThat(second).as("the same meter, never removed and added again").isSameAs(first);
        assertThat(second.value()).isEqualTo(5d);
        assertThat(registry.find("trovej.instances").tags(error).gauge()).as("a status no instance has").isNull();

        gauge.update(Map.of(active, 1d, error, 3d));
        assertThat(registry.get("trovej.instances").tags(error).gauge().value()).isEqualTo(3d);
        assertThat(registry.get("trovej.instances").tags(active).gauge()).isSameAs(first);
    }
}
