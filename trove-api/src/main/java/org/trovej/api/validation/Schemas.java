package org.trovej.api.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fragments of Trove's request schemas (trove/common/apischema.py) as checks with jsonschema's (Draft 4)
 * semantics and messages: every failing keyword is reported, strings are searched (not matched) by patterns,
 * lengths count code points, an integer is never a boolean or a float.
 */
public final class Schemas {

    /** A schema: records what is wrong with a value and tells whether it is valid. */
    @FunctionalInterface
    public interface Check {
        boolean check(Violations violations, String path, JsonNode value);
    }

    static final String ALNUM = "^.*[0-9a-zA-Z]+.*$";
    static final String UUID = "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";
    static final String POSITIVE_INTEGER = "^0*[1-9]+[0-9]*$";
    static final String HOST = "^[%]?[\\w(-).]*[%]?$";
    static final String IPV4 = "^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$";
    static final String CIDR = "^([0-9]{1,3}\\.){3}[0-9]{1,3}(\\/([0-9]|[1-2][0-9]|3[0-2]))?$";

    private Schemas() {
    }

    public static boolean object(Violations v, String path, JsonNode n) {
        return type(v, path, n, n != null && n.isObject(), "object");
    }

    public static boolean array(Violations v, String path, JsonNode n) {
        return type(v, path, n, n != null && n.isArray(), "array");
    }

    public static boolean bool(Violations v, String path, JsonNode n) {
        return type(v, path, n, n != null && n.isBoolean(), "boolean");
    }

    public static boolean isNull(Violations v, String path, JsonNode n) {
        return type(v, path, n, n == null || n.isNull(), "null");
    }

    /** "required": each missing name is its own error, reported at the object's path. */
    public static boolean required(Violations v, String path, JsonNode object, String... names) {
        boolean ok = true;
        for (String name : names) {
            if (!object.has(name)) {
                v.add(path, PythonRepr.str(name) + " is a required property");
                ok = false;
            }
        }
        return ok;
    }

    /** "additionalProperties": false. */
    public static boolean onlyProperties(Violations v, String path, JsonNode object, Set<String> allowed) {
        List<String> extras = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                extras.add(PythonRepr.str(name));
            }
        }
        if (extras.isEmpty()) {
            return true;
        }
        v.add(path, "Additional properties are not allowed (" + String.join(", ", extras)
                + (extras.size() == 1 ? " was" : " were") + " unexpected)");
        return false;
    }

    public static boolean string(Violations v, String path, JsonNode n, int minLength, Integer maxLength,
                                 String pattern) {
        if (!type(v, path, n, n != null && n.isTextual(), "string")) {
            return false;
        }
        String s = n.textValue();
        int length = s.codePointCount(0, s.length());
        boolean ok = true;
        if (length < minLength) {
            v.add(path, Violations.quoted(path, n) + (minLength == 1 ? " should be non-empty" : " is too short"));
            ok = false;
        }
        if (maxLength != null && length > maxLength) {
            v.add(path, Violations.quoted(path, n) + " is too long");
            ok = false;
        }
        if (pattern != null && !Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS).matcher(s).find()) {
            v.add(path, Violations.quoted(path, n) + " does not match " + PythonRepr.str(pattern));
            ok = false;
        }
        return ok;
    }

    public static boolean integer(Violations v, String path, JsonNode n, Integer minimum, Integer maximum) {
        if (!type(v, path, n, n != null && n.isIntegralNumber(), "integer")) {
            return false;
        }
        boolean ok = true;
        if (minimum != null && n.bigIntegerValue().compareTo(java.math.BigInteger.valueOf(minimum)) < 0) {
            v.add(path, Violations.quoted(path, n) + " is less than the minimum of " + minimum);
            ok = false;
        }
        if (maximum != null && n.bigIntegerValue().compareTo(java.math.BigInteger.valueOf(maximum)) > 0) {
            v.add(path, Violations.quoted(path, n) + " is greater than the maximum of " + maximum);
            ok = false;
        }
        return ok;
    }

    /** "number": an integer or a float, never a boolean. */
    public static boolean number(Violations v, String path, JsonNode n) {
        return type(v, path, n, n != null && n.isNumber(), "number");
    }

    public static boolean nonEmptyString(Violations v, String path, JsonNode n) {
        return string(v, path, n, 1, 255, ALNUM);
    }

    public static boolean nameString(Violations v, String path, JsonNode n) {
        return string(v, path, n, 1, null, ALNUM);
    }

    public static boolean uuid(Violations v, String path, JsonNode n) {
        return string(v, path, n, 1, 64, UUID);
    }

    public static boolean hostString(Violations v, String path, JsonNode n) {
        return string(v, path, n, 1, null, HOST);
    }

    public static boolean ipV4(Violations v, String path, JsonNode n) {
        return string(v, path, n, 7, 15, IPV4);
    }

    public static boolean flavorRef(Violations v, String path, JsonNode n) {
        return oneOf(v, path, n, Schemas::nonEmptyString, (w, p, x) -> integer(w, p, x, null, null));
    }

    public static boolean volumeSize(Violations v, String path, JsonNode n) {
        return oneOf(v, path, n, (w, p, x) -> integer(w, p, x, 1, null),
                (w, p, x) -> string(w, p, x, 1, 40, POSITIVE_INTEGER));
    }

    public static boolean uuidOrNull(Violations v, String path, JsonNode n) {
        return oneOf(v, path, n, Schemas::uuid, Schemas::isNull);
    }

    public static boolean nonEmptyStringOrNull(Violations v, String path, JsonNode n) {
        return oneOf(v, path, n, Schemas::nonEmptyString, Schemas::isNull);
    }

    /** An array, with "maxItems" and "uniqueItems" when given; items are checked by the caller. */
    public static boolean array(Violations v, String path, JsonNode n, Integer maxItems, boolean unique) {
        if (!array(v, path, n)) {
            return false;
        }
        boolean ok = true;
        if (maxItems != null && n.size() > maxItems) {
            v.add(path, Violations.quoted(path, n) + " is too long");
            ok = false;
        }
        if (unique) {
            Set<JsonNode> seen = new HashSet<>();
            for (JsonNode item : n) {
                if (!seen.add(item)) {
                    v.add(path, Violations.quoted(path, n) + " has non-unique elements");
                    ok = false;
                    break;
                }
            }
        }
        return ok;
    }

    /** "oneOf": exactly one branch must hold; when none does, the branches' errors follow without a path. */
    public static boolean oneOf(Violations v, String path, JsonNode n, Check... branches) {
        int valid = 0;
        List<String> context = new ArrayList<>();
        for (Check branch : branches) {
            Violations sub = Violations.nested();
            if (branch.check(sub, path, n)) {
                valid++;
            }
            context.addAll(sub.messages());
        }
        if (valid == 1) {
            return true;
        }
        if (valid == 0) {
            v.add(path, Violations.quoted(path, n) + " is not valid under any of the given schemas");
            v.addAll(context);
        } else {
            v.add(path, Violations.quoted(path, n) + " is valid under each of the given schemas");
        }
        return false;
    }

    /** "access" of create and update: a boolean and a list of unique IPv4 CIDRs. */
    public static boolean access(Violations v, String path, JsonNode n, boolean closed) {
        if (!object(v, path, n)) {
            return false;
        }
        boolean ok = !closed || onlyProperties(v, path, n, Set.of("is_public", "allowed_cidrs"));
        if (n.has("is_public")) {
            ok &= bool(v, Violations.key(path, "is_public"), n.get("is_public"));
        }
        if (n.has("allowed_cidrs")) {
            String cidrsPath = Violations.key(path, "allowed_cidrs");
            JsonNode cidrs = n.get("allowed_cidrs");
            if (array(v, cidrsPath, cidrs, null, true)) {
                for (int i = 0; i < cidrs.size(); i++) {
                    ok &= string(v, Violations.index(cidrsPath, i), cidrs.get(i), 0, null, CIDR);
                }
            } else {
                ok = false;
            }
        }
        return ok;
    }

    private static boolean type(Violations v, String path, JsonNode n, boolean matches, String type) {
        if (!matches) {
            v.add(path, Violations.quoted(path, n) + " is not of type " + PythonRepr.str(type));
        }
        return matches;
    }
}
