package org.trovej.api.configuration;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.trovej.api.error.ApiException;
import org.trovej.common.configuration.ParameterRule;

/**
 * A group's values checked against its datastore version's parameter catalogue, with Trove's messages
 * (configuration/service.py {@code _validate_configuration}, 422 each), and converted between JSON and the text
 * they are stored as. Stricter than Trove where Python's types let things through: a JSON boolean is not an
 * integer, and a value outside an enumerated parameter's allowed values is refused here rather than by the engine.
 * An integer is accepted for a float parameter.
 */
final class ParameterValues {

    private final Map<String, ParameterRule> rules = new LinkedHashMap<>();
    private final String datastoreName;
    private final String versionName;

    ParameterValues(List<ParameterRule> catalogue, String datastoreName, String versionName) {
        catalogue.forEach(r -> rules.put(r.name().toLowerCase(Locale.ROOT), r));
        this.datastoreName = datastoreName;
        this.versionName = versionName;
    }

    /**
     * The values as they are stored (parameter name as the catalogue spells it → text), after every check; the
     * first value that fails refuses the whole request.
     */
    Map<String, String> checked(JsonNode values) {
        Map<String, String> stored = new LinkedHashMap<>();
        if (values == null || values.isEmpty()) {
            return stored;
        }
        if (rules.isEmpty()) {
            throw ApiException.unprocessable("Configuration groups are not supported for this datastore: "
                    + datastoreName + " " + versionName);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ParameterRule rule = rules.get(e.getKey().toLowerCase(Locale.ROOT));
            if (rule == null) {
                throw ApiException.unprocessable("The configuration parameter " + e.getKey() + " is not supported "
                        + "for this datastore: " + datastoreName + " " + versionName + ".");
            }
            stored.put(rule.name(), check(e.getKey(), e.getValue(), rule));
        }
        return stored;
    }

    private static String check(String key, JsonNode value, ParameterRule rule) {
        String type = rule.dataType();
        boolean typed = switch (type) {
            case "integer" -> value.isIntegralNumber();
            case "float" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> value.isTextual();
        };
        if (!typed) {
            throw ApiException.unprocessable("The value provided for the configuration parameter " + key
                    + " is not of type " + type + ".");
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            if (rule.min() != null && number.compareTo(new BigDecimal(rule.min())) < 0) {
                throw ApiException.unprocessable("The value for the configuration parameter " + key
                        + " is less than the minimum allowed: " + plain(rule.min()));
            }
            if (rule.max() != null && number.compareTo(new BigDecimal(rule.max())) > 0) {
                throw ApiException.unprocessable("The value for the configuration parameter " + key
                        + " is greater than the maximum allowed: " + plain(rule.max()));
            }
            return value.isIntegralNumber() ? value.bigIntegerValue().toString() : number.toPlainString();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "true" : "false";
        }
        String text = value.textValue();
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\0') >= 0) {
            throw ApiException.unprocessable("The value for the configuration parameter " + key
                    + " may not contain line breaks or NUL characters.");
        }
        List<String> allowed = rule.allowedValues();
        if (allowed != null && !allowed.isEmpty()
                && allowed.stream().noneMatch(a -> a.equalsIgnoreCase(text))) {
            throw ApiException.unprocessable("The value for the configuration parameter " + key
                    + " must be one of: " + String.join(", ", allowed) + ".");
        }
        return text;
    }

    /** A stored value as JSON, typed by its parameter's rule (a value whose parameter is gone stays text). */
    JsonNode typed(String name, String text) {
        return typed(rules.get(name.toLowerCase(Locale.ROOT)), text);
    }

    static JsonNode typed(ParameterRule rule, String text) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (text == null) {
            return json.nullNode();
        }
        if (rule == null) {
            return json.textNode(text);
        }
        try {
            return switch (rule.dataType()) {
                case "integer" -> json.numberNode(integer(text.trim()));
                case "float" -> json.numberNode(Double.parseDouble(text.trim()));
                case "boolean" -> json.booleanNode(switch (text.trim().toLowerCase(Locale.ROOT)) {
                    case "true", "1", "on", "yes" -> true;
                    default -> false;
                });
                default -> json.textNode(text);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            // a value stored by an older Trove that its rule no longer reads: shown as it is
            return json.textNode(text);
        }
    }

    /** An integer as option files write it: digits, or MySQL's K, M and G suffixes (powers of 1024). */
    private static BigInteger integer(String text) {
        int shift = switch (text.isEmpty() ? ' ' : Character.toUpperCase(text.charAt(text.length() - 1))) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        return new BigDecimal(digits).toBigIntegerExact().shiftLeft(shift);
    }

    /** Those of these names that need the database restarted to take effect (a name without a rule too). */
    Set<String> restartRequired(Collection<String> names) {
        Set<String> restart = new LinkedHashSet<>();
        for (String name : names) {
            ParameterRule rule = rules.get(name.toLowerCase(Locale.ROOT));
            if (rule == null || rule.restartRequired()) {
                restart.add(name);
            }
        }
        return restart;
    }

    ParameterRule rule(String name) {
        return rules.get(name.toLowerCase(Locale.ROOT));
    }

    private static String plain(String bound) {
        try {
            BigDecimal b = new BigDecimal(bound);
            return b.stripTrailingZeros().scale() <= 0 ? b.toBigInteger().toString() : b.toPlainString();
        } catch (NumberFormatException e) {
            return bound;
        }
    }
}
