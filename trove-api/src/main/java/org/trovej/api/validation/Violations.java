package org.trovej.api.validation;

import java.util.ArrayList;
import java.util.List;

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

    /** {@code path['key']}. */
    public static String key(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "[" + PythonRepr.str(key) + "]";
    }

    /** {@code path[i]}. */
    public static String index(String path, int i) {
        return path + "[" + i + "]";
    }
}
