package org.trovej.common.configuration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The configuration-parameter catalogues TroveJ ships, read from the engines themselves (see
 * {@link PostgresParameterRules} and {@link MariaDbParameterRules}), as classpath resources
 * {@code org/trovej/common/configuration/<file>.json}:
 * <ul>
 *   <li>manager {@code postgresql}: matched by major version, {@code 15} or {@code 15.4} →
 *   {@code postgresql-15.json};</li>
 *   <li>managers {@code mariadb} and {@code mysql} (both run MariaDB): matched by major.minor, {@code 10.11} or
 *   {@code 10.11.14} → {@code mariadb-10.11.json};</li>
 *   <li>anything else, or a version without a shipped file: none.</li>
 * </ul>
 */
public final class ParameterCatalogues {

    public static final String RESOURCE_DIR = "org/trovej/common/configuration/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern MAJOR = Pattern.compile("^\\s*(\\d+)");
    private static final Pattern MAJOR_MINOR = Pattern.compile("^\\s*(\\d+)\\.(\\d+)");
    private static final Map<String, Optional<ParameterCatalogue>> LOADED = new ConcurrentHashMap<>();

    private ParameterCatalogues() {
    }

    /** The rules of a datastore version's shipped catalogue, if there is one. */
    public static Optional<List<ParameterRule>> rules(String manager, String versionNumber) {
        return find(manager, versionNumber).map(ParameterCatalogue::parameters);
    }

    /** The shipped catalogue of a datastore version, by its manager and its version number. */
    public static Optional<ParameterCatalogue> find(String manager, String versionNumber) {
        return resourceName(manager, versionNumber).flatMap(name -> LOADED.computeIfAbsent(name,
                ParameterCatalogues::load));
    }

    /** The resource a manager and version number would be read from ({@code postgresql-15.json}), if any. */
    public static Optional<String> resourceName(String manager, String versionNumber) {
        if (manager == null || versionNumber == null) {
            return Optional.empty();
        }
        switch (manager.toLowerCase(Locale.ROOT)) {
            case "postgresql" -> {
                Matcher m = MAJOR.matcher(versionNumber);
                return m.find() ? Optional.of("postgresql-" + Integer.parseInt(m.group(1)) + ".json")
                        : Optional.empty();
            }
            case "mariadb", "mysql" -> {
                Matcher m = MAJOR_MINOR.matcher(versionNumber);
                return m.find() ? Optional.of("mariadb-" + Integer.parseInt(m.group(1)) + "."
                        + Integer.parseInt(m.group(2)) + ".json") : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Optional<ParameterCatalogue> load(String name) {
        ClassLoader loader = ParameterCatalogues.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + name)) {
            return in == null ? Optional.empty() : Optional.of(JSON.readValue(in, ParameterCatalogue.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the parameter catalogue " + RESOURCE_DIR + name, e);
        }
    }

    /** A catalogue as its resource is written: pretty-printed, parameters and exclusions by name. */
    public static String toJson(ParameterCatalogue catalogue) {
        try {
            return PRETTY.writeValueAsString(catalogue) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ParameterCatalogue fromJson(String json) {
        try {
            return JSON.readValue(json, ParameterCatalogue.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a parameter catalogue: " + e.getOriginalMessage(), e);
        }
    }
}
