package org.trovej.common.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * The arguments of {@code guest_log_action} (trove/guestagent/api.py): the log's name and the four flags as the
 * user gave them in {@code POST /instances/{id}/log} (Trove passes the body's 0/1 integers on, null when absent;
 * a guest treats them as truthy or not). Written by the API, read by the guest.
 */
public record GuestLogAction(String logName, Integer enable, Integer disable, Integer publish, Integer discard) {

    public boolean enabling() {
        return on(enable);
    }

    public boolean disabling() {
        return on(disable);
    }

    public boolean publishing() {
        return on(publish);
    }

    public boolean discarding() {
        return on(discard);
    }

    public ObjectNode toWire() {
        ObjectNode args = PythonJson.object();
        args.put("log_name", logName);
        put(args, "enable", enable);
        put(args, "disable", disable);
        put(args, "publish", publish);
        put(args, "discard", discard);
        return args;
    }

    /** Truthy as Python sees it: a non-zero number, {@code true}, a non-empty string. */
    public static GuestLogAction fromWire(JsonNode args) {
        return new GuestLogAction(args.path("log_name").isTextual() ? args.path("log_name").asText() : null,
                flag(args.get("enable")), flag(args.get("disable")), flag(args.get("publish")),
                flag(args.get("discard")));
    }

    private static boolean on(Integer flag) {
        return flag != null && flag != 0;
    }

    private static void put(ObjectNode args, String key, Integer value) {
        if (value == null) {
            args.putNull(key);
        } else {
            args.put(key, value);
        }
    }

    private static Integer flag(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? 1 : 0;
        }
        if (value.isNumber()) {
            return value.asDouble() != 0 ? 1 : 0;
        }
        return value.asText().isEmpty() ? 0 : 1;
    }
}
