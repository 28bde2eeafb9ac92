package org.trovej.common.pitr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcFailure;

/**
 * TroveJ's {@code set_log_shipping} cast to a guest (beyond Trove): where the guest ships its transaction log
 * (PostgreSQL's WAL) for point-in-time restore, and how often. The cast's context carries the token that lets the
 * guest write objects named {@code <objectPrefix>...} in {@code container} of the account at {@code swiftUrl}; the
 * task manager casts it again before that token expires. Written by the task manager, read by the guest.
 *
 * @param objectPrefix every shipped object's name starts so ({@code <instance id>.log.})
 * @param intervalSeconds how often the guest closes the current log file and ships what is new
 */
public record LogShippingTarget(String swiftUrl, String container, String objectPrefix, int intervalSeconds) {

    public LogShippingTarget {
        if (swiftUrl == null || container == null || objectPrefix == null || objectPrefix.isEmpty()) {
            throw new IllegalArgumentException("log shipping needs an account URL, a container and an object prefix");
        }
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("the log shipping interval must be at least one second");
        }
    }

    public ObjectNode toWire() {
        ObjectNode target = PythonJson.object();
        target.put("swift_url", swiftUrl);
        target.put("container", container);
        target.put("object_prefix", objectPrefix);
        target.put("interval", intervalSeconds);
        return target;
    }

    /** The cast's {@code shipping} argument; a malformed one is oslo's {@code ValueError}. */
    public static LogShippingTarget fromWire(JsonNode target) {
        try {
            return new LogShippingTarget(target.path("swift_url").asText(null), target.path("container").asText(null),
                    target.path("object_prefix").asText(null), target.path("interval").asInt(0));
        } catch (IllegalArgumentException e) {
            throw new RpcFailure("builtins", "ValueError", "set_log_shipping: " + e.getMessage());
        }
    }
}
