package org.trovej.common.configuration;

import java.util.List;
import java.util.Optional;

/**
 * A parameter, or a family of them, that a tenant must not set through a configuration group, and why.
 *
 * @param pattern a parameter name, or a prefix followed by {@code *} ({@code ssl_*})
 * @param reason  one line: what setting it would break
 */
public record ParameterExclusion(String pattern, String reason) {

    public boolean matches(String name) {
        return pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : name.equals(pattern);
    }

    /** The first exclusion of {@code list} that matches {@code name}. */
    public static Optional<ParameterExclusion> first(List<ParameterExclusion> list, String name) {
        return list.stream().filter(e -> e.matches(name)).findFirst();
    }
}
