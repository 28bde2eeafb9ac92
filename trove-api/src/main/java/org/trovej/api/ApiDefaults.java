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

    static final Map<String, Object> DEFAULTS = Map.ofEntries(
            // Trove's bind_port
            Map.entry("server.port", "8779"),
            // Nothing static is served; without the resource handler an unknown path is a plain "no handler".
            Map.entry("spring.web.resources.add-mappings", "false"),
            // A guest streams a backup as its tools produce it: pg_basebackup's checkpoint or a slow disk may hold
            // the body back for minutes, so a read waits that long; an idle kept-alive connection does not.
            Map.entry("server.tomcat.connection-timeout", "5m"),
            Map.entry("server.tomcat.keep-alive-timeout", "60s"),
            // Bodies are JSON, or the object store's streams: a form-encoded PUT must not be read into memory.
            Map.entry("spring.mvc.formcontent.filter.enabled", "false"),
            // An unknown path is an ordinary 404 fault, not worth a warning per scanner probe.
            Map.entry("logging.level.org.springframework.web.servlet.PageNotFound", "ERROR"),
            // The schema is Flyway's (db-migrations); Hibernate must never touch it.
            Map.entry("spring.jpa.hibernate.ddl-auto", "none"),
            Map.entry("spring.jpa.open-in-view", "false"),
            // Lists load "id IN (...)" batches of varying size: padding keeps the statement cache small.
            Map.entry("spring.jpa.properties.hibernate.query.in_clause_parameter_padding", "true"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("trovej-api-defaults", DEFAULTS));
    }
}
