package org.trovej.api;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Web defaults for wherever the API runs (alone or in the all-in-one), at the lowest precedence so that
 * SERVER_PORT, application properties and arguments override them. A defaults source rather than an
 * application.properties because several modules share one classpath in the all-in-one.
 */
public class ApiDefaults implements EnvironmentPostProcessor {

    static final Map<String, Object> DEFAULTS = Map.of(
            // Trove's bind_port
            "server.port", "8779",
            // Nothing static is served; without the resource handler an unknown path is a plain "no handler".
            "spring.web.resources.add-mappings", "false",
            // An unknown path is an ordinary 404 fault, not worth a warning per scanner probe.
            "logging.level.org.springframework.web.servlet.PageNotFound", "ERROR");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("trovej-api-defaults", DEFAULTS));
    }
}
