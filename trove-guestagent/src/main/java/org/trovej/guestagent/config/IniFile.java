package org.trovej.guestagent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An INI file read the way oslo.config reads one: {@code [section]} headers, {@code key = value} or
 * {@code key: value}, comments starting with {@code #} or {@code ;}, one pair of matching quotes stripped
 * from a value, and indented lines continuing the previous value. Dashes in keys are read as underscores,
 * as oslo accepts either spelling.
 */
public final class IniFile {

    public static final String DEFAULT_SECTION = "DEFAULT";

    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

    public static IniFile empty() {
        return new IniFile();
    }

    public static IniFile read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file, e);
        }
    }

    public static IniFile parse(List<String> lines, String origin) {
        IniFile ini = new IniFile();
        String section = null;
        String lastKey = null;
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = stripTrailing(raw);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && lastKey != null) {
                // oslo: an indented line continues the previous value (multi-line values)
                Map<String, String> values = ini.sections.get(section);
                values.put(lastKey, values.get(lastKey) + "\n" + unquote(trimmed));
                continue;
            }
            if (trimmed.startsWith("[")) {
                if (!trimmed.endsWith("]") || trimmed.length() < 3) {
                    throw new IllegalArgumentException(origin + ":" + number + ": bad section header");
                }
                section = trimmed.substring(1, trimmed.length() - 1).strip();
                ini.sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            if (section == null) {
                throw new IllegalArgumentException(origin + ":" + number + ": value before any [section]");
            }
            int eq = separator(trimmed);
            if (eq <= 0) {
                throw new IllegalArgumentException(origin + ":" + number + ": expected 'key = value'");
            }
            String key = normalizeKey(trimmed.substring(0, eq));
            String value = unquote(trimmed.substring(eq + 1).strip());
            ini.sections.get(section).put(key, value);
            lastKey = key;
        }
        return ini;
    }

    private static int separator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    private static String stripTrailing(String s) {
        return s.replaceAll("\\s+$", "");
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                return value.substring(1, value.length() - 1);
            }
        }
        return value;
    }

    static String normalizeKey(String key) {
        return key.strip().replace('-', '_');
    }

    /** Values of {@code later} replace ours key by key (oslo: a later config file wins). */
    public IniFile overlay(IniFile later) {
        IniFile merged = new IniFile();
        sections.forEach((name, values) -> merged.sections.put(name, new LinkedHashMap<>(values)));
        later.sections.forEach((name, values) ->
                merged.sections.computeIfAbsent(name, n -> new LinkedHashMap<>()).putAll(values));
        return merged;
    }

    /** The value, or null when the key is absent. */
    public String get(String section, String key) {
        Map<String, String> values = sections.get(section);
        return values == null ? null : values.get(normalizeKey(key));
    }

    /** A copy of one section's values (empty when the section is absent). */
    public Map<String, String> section(String section) {
        Map<String, String> values = sections.get(section);
        return values == null ? Map.of() : Map.copyOf(values);
    }
}
