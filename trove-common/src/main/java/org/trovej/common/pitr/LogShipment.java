package org.trovej.common.pitr;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcFailure;

/**
 * TroveJ's {@code log_shipped} cast from a guest to the conductor (beyond Trove): one object of transaction log
 * stored, or, with no {@code location}, only that nothing was written since the last one. Written by the guest,
 * read by the conductor.
 *
 * @param location          the object's URL ({@code <swift_url>/<container>/<object>}), null when nothing new was
 *                          shipped
 * @param checksum          the MD5 of the stored bytes (Swift's ETag)
 * @param firstPosition     the first log file in the object (PostgreSQL: a WAL segment's name); for a report
 *                          without an object, the last one shipped
 * @param lastPosition      the last log file in the object (or, without one, the last one shipped)
 * @param restorableUntil   every transaction committed before this moment is in this object or an earlier one
 * @param size              stored bytes
 * @param afterGap          log files between the previous object and this one are lost (archiving was off or its
 *                          archive pruned): no restore can cross from before this object to after it
 */
public record LogShipment(String location, String checksum, String firstPosition, String lastPosition,
                          Instant restorableUntil, long size, boolean afterGap) {

    public LogShipment {
        if (firstPosition == null || lastPosition == null || restorableUntil == null) {
            throw new IllegalArgumentException("a log shipment names its first and last log file and a moment");
        }
        if (lastPosition.compareTo(firstPosition) < 0) {
            throw new IllegalArgumentException("a log shipment's last file " + lastPosition + " comes before its first "
                    + firstPosition);
        }
    }

    /** Nothing new since {@code lastPosition}, whose object holds everything committed before {@code until}. */
    public static LogShipment idle(String lastPosition, Instant until) {
        return new LogShipment(null, null, lastPosition, lastPosition, until, 0, false);
    }

    public boolean stored() {
        return location != null;
    }

    public ObjectNode toWire() {
        ObjectNode shipment = PythonJson.object();
        shipment.put("location", location);
        shipment.put("checksum", checksum);
        shipment.put("first_position", firstPosition);
        shipment.put("last_position", lastPosition);
        shipment.put("restorable_until", restorableUntil.toString());
        shipment.put("size", size);
        shipment.put("after_gap", afterGap);
        return shipment;
    }

    /** The cast's {@code shipment} argument; a malformed one is oslo's {@code ValueError}. */
    public static LogShipment fromWire(JsonNode shipment) {
        try {
            return new LogShipment(shipment.path("location").asText(null), shipment.path("checksum").asText(null),
                    shipment.path("first_position").asText(null), shipment.path("last_position").asText(null),
                    Instant.parse(shipment.path("restorable_until").asText("")), shipment.path("size").asLong(0),
                    shipment.path("after_gap").asBoolean(false));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new RpcFailure("builtins", "ValueError", "log_shipped: " + e.getMessage());
        }
    }
}
