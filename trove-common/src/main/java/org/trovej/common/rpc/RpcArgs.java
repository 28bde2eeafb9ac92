package org.trovej.common.rpc;

import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The keyword arguments of a received RPC, already through the serializer. */
public final class RpcArgs {

    private final String method;
    private final ObjectNode values;

    public RpcArgs(String method, ObjectNode values) {
        this.method = method;
        this.values = values;
    }

    public ObjectNode asObject() {
        return values.deepCopy();
    }

    public boolean has(String name) {
        return values.has(name);
    }

    public Iterator<String> names() {
        return values.fieldNames();
    }

    /** The argument, or a Python-style TypeError when it is absent (what oslo reports for a missing kwarg). */
    public JsonNode required(String name) {
        JsonNode node = values.get(name);
        if (node == null) {
            throw new RpcFailure("builtins", "TypeError",
                    method + "() missing 1 required positional argument: '" + name + "'");
        }
        return node;
    }

    public JsonNode optional(String name) {
        JsonNode node = values.get(name);
        return node == null || node.isNull() ? null : node;
    }

    public String text(String name) {
        JsonNode node = required(name);
        return node.isNull() ? null : node.asText();
    }

    public String optionalText(String name) {
        JsonNode node = optional(name);
        return node == null ? null : node.asText();
    }

    public double number(String name) {
        JsonNode node = required(name);
        if (!node.isNumber()) {
            throw new RpcFailure("builtins", "TypeError", method + "(): '" + name + "' must be a number");
        }
        return node.doubleValue();
    }

    @Override
    public String toString() {
        // argument values may hold passwords: names only
        StringBuilder names = new StringBuilder();
        values.fieldNames().forEachRemaining(n -> names.append(names.length() == 0 ? "" : ",").append(n));
        return method + "(" + names + ")";
    }
}
