package org.trovej.api.pitr;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.api.validation.Violations;

/**
 * Point-in-time restore's moments as the API reads and writes them (beyond Trove): an ISO-8601 date and time,
 * with an offset ({@code 2026-12-04T20:15:30.250Z}, {@code +01:00}) or without one, then UTC, as every time Trove
 * shows is; shown in Trove's own format, whole seconds, UTC.
 */
public final class RestoreTimes {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private RestoreTimes() {
    }

    /** The schema check of {@code restorePoint.restoreTime}. */
    public static boolean valid(Violations v, String path, JsonNode n) {
        if (n == null || !n.isTextual() || parseOrNull(n.textValue()) == null) {
            v.add(path, Violations.quoted(path, n) + " is not a date and time (ISO 8601, e.g. "
                    + "'2026-12-04T20:15:30Z')");
            return false;
        }
        return true;
    }

    /** The moment of a valid {@code restoreTime}; null when absent. */
    public static Instant parse(JsonNode n) {
        return n == null || n.isNull() ? null : parseOrNull(n.asText());
    }

    private static Instant parseOrNull(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                return null;
            }
        }
    }

    /** The first whole second at or after {@code moment}: a window's start, so that the start shown is in it. */
    static String ceiling(Instant moment) {
        Instant second = moment.truncatedTo(ChronoUnit.SECONDS);
        return show(second.equals(moment) ? second : second.plusSeconds(1));
    }

    /** The whole second at or before {@code moment}: a window's end. */
    static String floor(Instant moment) {
        return show(moment.truncatedTo(ChronoUnit.SECONDS));
    }

    static String show(Instant moment) {
        return SHOWN.format(moment.atOffset(ZoneOffset.UTC));
    }
}
