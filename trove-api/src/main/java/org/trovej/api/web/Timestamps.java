package org.trovej.api.web;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Trove's times: naive UTC, stored to the microsecond, shown to the second without a zone. */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private Timestamps() {
    }

    /** Now, as {@code timezone('UTC', now())} would store it. */
    public static LocalDateTime nowUtc() {
        return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    public static String format(LocalDateTime time) {
        return time == null ? null : FORMAT.format(time);
    }
}
