package org.trovej.common.json;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON as Python's {@code json.dumps} writes it (what oslo.messaging and kombu put on the wire):
 * {@code ", "} and {@code ": "} separators, non-ASCII escaped, floats in Python's repr notation.
 * Byte-for-byte equal output lets tests compare our envelopes with ones captured from Trove.
 */
public final class PythonJson {

    /** The mapper for reading; it accepts Python's NaN/Infinity literals. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final JsonFactory WRITER_FACTORY = new com.fasterxml.jackson.core.JsonFactoryBuilder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            // Python's json.dumps writes "\u00e9", Jackson's default is "\u00E9": lower case, or our bytes (and the
            // plaintext we encrypt) differ from oslo's for every non-ASCII character.
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .characterEscapes(new PythonAsciiEscapes())
            .rootValueSeparator((String) null)
            .build();

    /** Python's ensure_ascii escapes everything outside ' '..'~': the JSON standard set plus DEL (0x7f). */
    private static final class PythonAsciiEscapes extends com.fasterxml.jackson.core.io.CharacterEscapes {
        private final int[] ascii;

        PythonAsciiEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    private PythonJson() {
    }

    public static JsonNodeFactory nodes() {
        return MAPPER.getNodeFactory();
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses JSON text; floats are kept exactly (BigDecimal) so re-encoding gives the same digits. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    public static JsonNode valueToTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static String dumps(JsonNode node) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = WRITER_FACTORY.createGenerator(out)) {
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeRaw('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!first) {
                        g.writeRaw(", ");
                    }
                    first = false;
                    g.writeString(field.getKey());
                    g.writeRaw(": ");
                    write(g, field.getValue());
                }
                g.writeRaw('}');
            }
            case ARRAY -> {
                g.writeRaw('[');
                boolean first = true;
                for (JsonNode element : node) {
                    if (!first) {
                        g.writeRaw(", ");
                    }
                    first = false;
                    write(g, element);
                }
                g.writeRaw(']');
            }
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeRaw(node.booleanValue() ? "true" : "false");
            case NULL, MISSING -> g.writeRaw("null");
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    g.writeRaw(node.bigIntegerValue().toString());
                } else if (node.isBigDecimal()) {
                    g.writeRaw(pythonFloat(node.decimalValue()));
                } else {
                    g.writeRaw(pythonFloat(node.doubleValue()));
                }
            }
            default -> g.writeRaw(MAPPER.writeValueAsString(node));
        }
    }

    /** Python's repr of a float: shortest digits, plain notation for 1e-4 <= |x| < 1e16, else 1.5e-05 style. */
    public static String pythonFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return pythonFloat(new BigDecimal(Double.toString(value)));
    }

    static String pythonFloat(BigDecimal value) {
        BigDecimal abs = value.abs();
        if (abs.signum() == 0) {
            return value.signum() < 0 || value.toString().startsWith("-") ? "-0.0" : "0.0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (abs.compareTo(new BigDecimal("1e-4")) >= 0 && abs.compareTo(new BigDecimal("1e16")) < 0) {
            String plain = stripped.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        // scientific: d[.ddd]e[+-]XX with at least two exponent digits
        String digits = stripped.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - stripped.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = stripped.signum() < 0 ? "-" : "";
        String exp = String.format("%02d", Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }
}
