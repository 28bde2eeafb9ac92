package org.trovej.common.pitr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A point-in-time restore's part of {@code backup_info} (TroveJ's, beyond Trove): after the backup chain, the
 * shipped log objects to replay, oldest first, and the moment to stop at. A guest without point-in-time restore
 * ignores it and restores the backup alone; the task manager therefore sends it only to TroveJ's guests.
 *
 * @param restoreTime the moment, or null to replay every object to its end (the moment lies where nothing was
 *                    written after the last object, so its end is the database as it was then)
 */
public record PointInTime(Instant restoreTime, List<LogObject> logs) {

    /** One shipped object: where it is and the MD5 the store answered when it was shipped. */
    public record LogObject(String location, String checksum) {
    }

    public PointInTime {
        logs = List.copyOf(logs);
    }

    /** Adds {@code restore_time} and {@code logs} to a {@code backup_info}. */
    public void writeTo(ObjectNode info) {
        info.put("restore_time", restoreTime == null ? null : restoreTime.toString());
        ArrayNode objects = info.putArray("logs");
        for (LogObject log : logs) {
            objects.addObject().put("location", log.location()).put("checksum", log.checksum());
        }
    }

    /** null when {@code info} has no {@code logs}. */
    public static PointInTime readFrom(JsonNode info) {
        if (!info.path("logs").isArray()) {
            return null;
        }
        JsonNode time = info.path("restore_time");
        List<LogObject> logs = new ArrayList<>();
        for (JsonNode log : info.path("logs")) {
            logs.add(new LogObject(log.path("location").asText(null), log.path("checksum").asText(null)));
        }
        return new PointInTime(time.isTextual() ? Instant.parse(time.asText()) : null, logs);
    }
}
