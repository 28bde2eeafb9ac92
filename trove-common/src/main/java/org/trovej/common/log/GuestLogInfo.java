package org.trovej.common.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * One guest log as Trove's guest reports it (trove/guestagent/guest_log.py {@code GuestLog.show}) and the API
 * returns it ({@code {"log": ...}}, {@code {"logs": [...]}}): the reply of {@code guest_log_list} (a list of these)
 * and of {@code guest_log_action}. Written by the guest, read by the API.
 *
 * @param type      {@code USER} (enabled and disabled by the user) or {@code SYS} (always on, admins only)
 * @param status    Trove's words: {@code Disabled, Enabled, Unavailable, Ready, Published, Partial, Rotated,
 *                  Restart Required}
 * @param published bytes of the log file already in the object store
 * @param pending   bytes not yet published (the whole file after a rotation)
 * @param container the object-store container, or the string {@code None} while nothing is published (as Trove)
 * @param prefix    {@code <instance>/<datastore manager>-<log>/}, or {@code None} likewise
 * @param metafile  {@code <instance>/<datastore manager>-<log>_metafile}
 */
public record GuestLogInfo(String name, String type, String status, long published, long pending, String container,
                           String prefix, String metafile) {

    public static final String LIST_METHOD = "guest_log_list";
    public static final String ACTION_METHOD = "guest_log_action";

    public static final String USER = "USER";
    public static final String SYS = "SYS";
    /** What Trove shows for a container and a prefix before the first publish. */
    public static final String NONE = "None";

    public ObjectNode toWire() {
        ObjectNode log = PythonJson.object();
        log.put("name", name);
        log.put("type", type);
        log.put("status", status);
        log.put("published", published);
        log.put("pending", pending);
        log.put("container", container);
        log.put("prefix", prefix);
        log.put("metafile", metafile);
        return log;
    }

    /** @throws IllegalArgumentException when {@code log} is not a log dict */
    public static GuestLogInfo fromWire(JsonNode log) {
        if (log == null || !log.isObject() || !log.path("name").isTextual()) {
            throw new IllegalArgumentException("a guest log dict with a name was expected");
        }
        return new GuestLogInfo(log.path("name").asText(), text(log, "type"), text(log, "status"),
                log.path("published").asLong(0), log.path("pending").asLong(0), text(log, "container"),
                text(log, "prefix"), text(log, "metafile"));
    }

    private static String text(JsonNode log, String key) {
        JsonNode value = log.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
