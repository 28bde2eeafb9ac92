package org.trovej.api.validation;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Python's {@code repr()} of JSON values, as jsonschema puts them into Trove's validation messages. A secret (the
 * value of any key naming a password, at any depth) is shown as {@link #MASK}: messages go back to the client
 * and into the log, and a password must appear in neither.
 */
public final class PythonRepr {

    /** What a message shows instead of a secret value. */
    public static final String MASK = "'***'";

    private PythonRepr() {
    }

    /** Whether a property of this name holds a secret: password, root_password, admin_password, ... */
    public static boolean secret(String key) {
        return key.toLowerCase(Locale.ROOT).contains("password");
    }

    public static String of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "None";
        }
        if (node.isTextual()) {
            return str(node.textValue());
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "True" : "False";
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            return floatRepr(node.decimalValue());
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(of(node.get(i)));
            }
            return out.append(']').toString();
        }
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            out.append(first ? "" : ", ").append(str(field.getKey())).append(": ")
                    .append(secret(field.getKey()) ? MASK : of(field.getValue()));
            first = false;
        }
        return out.append('}').toString();
    }

    /** A str's repr: single quotes unless the text has one and no double quote. */
    public static String str(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        s.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(quote).toString();
    }

    private static String floatRepr(BigDecimal value) {
        double d = value.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return BigDecimal.valueOf(d).toBigInteger() + ".0";
        }
        return Double.toString(d).replace("E", "e");
    }
}
