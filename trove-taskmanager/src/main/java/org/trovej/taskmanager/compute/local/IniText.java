package org.trovej.taskmanager.compute.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Edits of the guest's INI files as {@link org.trovej.taskmanager.compute.GuestConfigText} writes them
 * ({@code [section]} headers, {@code key = value} lines): one key, or one section's whole body, replaced in place.
 */
final class IniText {

    private IniText() {
    }

    /** {@code text} with {@code key} in {@code section} set to {@code value} (added at the section's end if absent). */
    static String replaceKey(String text, String section, String key, String value) {
        List<String> out = new ArrayList<>();
        String current = null;
        boolean done = false;
        for (String line : text.split("\n", -1)) {
            String header = header(line);
            if (header != null) {
                if (section.equals(current) && !done) {
                    insertBeforeBlank(out, key + " = " + value);
                    done = true;
                }
                current = header;
            } else if (section.equals(current) && keyOf(line).equals(key)) {
                if (!done) {
                    out.add(key + " = " + value);
                    done = true;
                }
                continue;
            }
            out.add(line);
        }
        if (!done) {
            if (!section.equals(current)) {
                insertBeforeBlank(out, "[" + section + "]");
            }
            insertBeforeBlank(out, key + " = " + value);
        }
        return String.join("\n", out);
    }

    /** {@code text} with the body of {@code section} replaced by {@code values} (the section added if absent). */
    static String replaceSection(String text, String section, Map<String, String> values) {
        List<String> out = new ArrayList<>();
        boolean inSection = false;
        boolean found = false;
        for (String line : text.split("\n", -1)) {
            String header = header(line);
            if (header != null) {
                inSection = header.equals(section);
                out.add(line);
                if (inSection) {
                    found = true;
                    values.forEach((k, v) -> out.add(k + " = " + v));
                    out.add("");
                }
                continue;
            }
            if (!inSection) {
                out.add(line);
            }
        }
        if (!found) {
            out.add("[" + section + "]");
            values.forEach((k, v) -> out.add(k + " = " + v));
            out.add("");
        }
        return String.join("\n", out);
    }

    private static void insertBeforeBlank(List<String> out, String line) {
        int at = out.size();
        while (at > 0 && out.get(at - 1).isBlank()) {
            at--;
        }
        out.add(at, line);
    }

    private static String header(String line) {
        String t = line.strip();
        return t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1).strip() : null;
    }

    private static String keyOf(String line) {
        int eq = line.indexOf('=');
        return eq < 0 ? "" : line.substring(0, eq).strip();
    }
}
