package org.trovej.api.auth;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code trovej.auth.strategy} ({@code TROVEJ_AUTH_STRATEGY}): how callers are identified. {@code keystone}
 * (the default: production) validates Keystone tokens ({@link KeystoneProperties}); {@code noauth} believes the
 * request (the embedded default sets it). A value this build does not know stops the start-up rather than
 * silently letting everyone in.
 */
@ConfigurationProperties(prefix = "trovej.auth")
public record AuthProperties(String strategy) {

    static final Set<String> KNOWN = Set.of("noauth", "keystone");

    public AuthProperties {
        strategy = strategy == null || strategy.isBlank() ? "keystone" : strategy.trim();
        if (!KNOWN.contains(strategy)) {
            throw new IllegalArgumentException("trovej.auth.strategy '" + strategy + "' is not one of " + KNOWN);
        }
    }
}
