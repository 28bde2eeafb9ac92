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

    static final Map<String, Object> DEFAULTS = Map.of(
            "spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/trove",
            "spring.datasource.username", "trove",
            "spring.datasource.password", "",
            "spring.datasource.hikari.maximum-pool-size", "10",
            // a request waits this long at most for a connection (Hikari: 30 s), then answers 503: bounded, while
            // the database restarts, instead of every client hanging on it
            "spring.datasource.hikari.connection-timeout", "5000",
            "spring.flyway.locations", "classpath:db/migration",
            "spring.jpa.open-in-view", "false",
            "management.endpoints.web.exposure.include", "health,info",
            "spring.main.banner-mode", "off");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("trovej-defaults", DEFAULTS));
    }
}
