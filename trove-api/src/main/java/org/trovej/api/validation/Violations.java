package org.trovej.api.validation;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.api.error.ApiException;

/**
 * The messages of a failed validation, formatted as Trove formats jsonschema's errors: each is the path
 * ({@code instance['users'][0]['name']}) and the error, all joined with "; " after "Validation error: ".
 */
public final class Violations {

    private final List<String> messages = new ArrayList<>();
    private final boolean nested;

    private Violations(boolean nested) {
        this.nested = nested;
    }

    public static Violations create() {
        return new Violations(false);
    }

    /** For the branches of a oneOf: jsonschema lists their errors without a path. */
    static Violations nested() {
        return new Violations(true);
    }

    public void add(String path, String message) {
        messages.add(nested || path == null || path.isEmpty() ? message : path + " " + message);
    }

    void addAll(List<String> raw) {
        messages.addAll(raw);
    }

    List<String> messages() {
        return messages;
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public void throwIfAny() {
        if (!messages.isEmpty()) {
            throw ApiException.badRequest("Validation error: " + String.join("; ", messages));
        }
    }

    /**
     * The value at {@code path} as a message quotes it: its repr, or {@link PythonRepr#MASK} when the path ends in
     * a secret's key (a user's password is checked at {@code users[0]['password']}).
     */
    public static String quoted(String path, JsonNode value) {
        return path != null && PythonRepr.secret(lastKey(path)) ? PythonRepr.MASK : PythonRepr.of(value);
    }

    private static String lastKey(String path) {
        if (!path.endsWith("]")) {
            return path;
        }
        int open = path.lastIndexOf('[');
        return open < 0 ? path : path.substring(open + 1, path.length() - 1);
    }

    /** {@code path['key']}. */
    public static String key(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "[" + PythonRepr.str(key) + "]";
    }

    /** {@code path[i]}. */
    public static String index(String path, int i) {
        return path + "[" + i + "]";
    }
}
