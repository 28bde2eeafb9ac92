package org.trovej.api.auth;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code trovej.auth.strategy}: how callers are identified. Only {@code noauth} exists so far; a value this
 * build does not know stops the start-up rather than silently letting everyone in.
 */
@ConfigurationProperties(prefix = "trovej.auth")
public record AuthProperties(String strategy) {

    static final Set<String> KNOWN = Set.of("noauth");

    public AuthProperties {
        strategy = strategy == null || strategy.isBlank() ? "noauth" : strategy.trim();
        if (!KNOWN.contains(strategy)) {
            throw new IllegalArgumentException("trovej.auth.strategy '" + strategy + "' is not one of " + KNOWN);
        }
    }
}
