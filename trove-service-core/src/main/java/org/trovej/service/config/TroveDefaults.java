package org.trovej.service.config;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every control-plane service shares, at the lowest precedence so that application properties,
 * environment variables (SPRING_DATASOURCE_URL, TROVEJ_RPC_AMQP_URI, ...) and arguments override them.
 */
public class TroveDefaults implements EnvironmentPostProcessor {

    static final Map<String, Object> DEFAULTS = Map.ofEntries(
            Map.entry("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/trove"),
            Map.entry("spring.datasource.username", "trove"),
            Map.entry("spring.datasource.password", ""),
            Map.entry("spring.datasource.hikari.maximum-pool-size", "10"),
            // a request waits this long at most for a connection (Hikari: 30 s), then answers 503: bounded, while
            // the database restarts, instead of every client hanging on it
            Map.entry("spring.datasource.hikari.connection-timeout", "5000"),
            Map.entry("spring.flyway.locations", "classpath:db/migration"),
            Map.entry("spring.jpa.open-in-view", "false"),
            // the actuator: health, readiness, Prometheus metrics; each service's profile puts it on a port of its
            // own bound to loopback (docs/operations.md#metrics-and-health)
            Map.entry("management.endpoints.web.exposure.include", "health,info,prometheus"),
            Map.entry("management.endpoint.health.probes.enabled", "true"),
            // not ready without the database or the broker: a load balancer sends no requests it could not serve
            Map.entry("management.endpoint.health.group.readiness.include", "readinessState,db,broker"),
            Map.entry("management.endpoint.health.show-details", "always"),
            Map.entry("management.metrics.tags.service", "${spring.application.name:trovej}"),
            // latency histograms per route and status; the bucket range keeps each to a few dozen series
            Map.entry("management.metrics.distribution.percentiles-histogram.http.server.requests", "true"),
            Map.entry("management.metrics.distribution.minimum-expected-value.http.server.requests", "1ms"),
            Map.entry("management.metrics.distribution.maximum-expected-value.http.server.requests", "30s"),
            Map.entry("spring.main.banner-mode", "off"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("trovej-defaults", DEFAULTS));
    }
}
