package org.trovej.service.schedule;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

import org.springframework.scheduling.support.CronExpression;

/**
 * A backup schedule's time rule: a five-field cron (minute hour day-of-month month day-of-week, as crontab(5)) or a
 * macro ({@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @yearly}), read in a time zone
 * (an IANA name, {@code UTC} by default), so that "03:00 in Europe/Berlin" stays 03:00 across daylight saving. The
 * API checks a schedule with it before storing it and the task manager finds the next slot with it: one reading of
 * the rule on both sides. Slots are UTC times without a zone, as every time in the control-plane database.
 */
public final class BackupCron {

    private final String text;
    private final ZoneId zone;
    private final CronExpression expression;

    private BackupCron(String text, ZoneId zone, CronExpression expression) {
        this.text = text;
        this.zone = zone;
        this.expression = expression;
    }

    /**
     * @throws IllegalArgumentException with a message fit for a 400: what is wrong with the cron or the zone
     */
    public static BackupCron parse(String cron, String timezone) {
        if (cron == null || cron.isBlank()) {
            throw new IllegalArgumentException("cron is missing.");
        }
        String text = cron.trim().replaceAll("\\s+", " ");
        ZoneId zone;
        try {
            zone = ZoneId.of(timezone == null ? "UTC" : timezone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timezone '" + timezone + "' is not a time zone (an IANA name such "
                    + "as UTC or Europe/Berlin).");
        }
        String spring;
        if (text.startsWith("@")) {
            String macro = text.toLowerCase(Locale.ROOT);
            if (!macro.matches("@(hourly|daily|midnight|weekly|monthly|yearly|annually)")) {
                throw new IllegalArgumentException("cron '" + cron + "' is not one of @hourly, @daily, @weekly, "
                        + "@monthly, @yearly.");
            }
            spring = macro;
        } else {
            if (text.split(" ").length != 5) {
                throw new IllegalArgumentException("cron '" + cron + "' must have five fields: minute hour "
                        + "day-of-month month day-of-week.");
            }
            spring = "0 " + text;
        }
        CronExpression expression;
        try {
            expression = CronExpression.parse(spring);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron '" + cron + "' is not valid: " + e.getMessage());
        }
        BackupCron parsed = new BackupCron(text, zone, expression);
        if (parsed.nextAfter(LocalDateTime.now(ZoneOffset.UTC)) == null) {
            throw new IllegalArgumentException("cron '" + cron + "' never fires.");
        }
        return parsed;
    }

    /** The first slot strictly after {@code utc} (a UTC time), as a UTC time; null if there is none. */
    public LocalDateTime nextAfter(LocalDateTime utc) {
        ZonedDateTime next = expression.next(utc.atOffset(ZoneOffset.UTC).atZoneSameInstant(zone));
        return next == null ? null : next.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    /** The cron as stored (whitespace normalised). */
    public String text() {
        return text;
    }

    public ZoneId zone() {
        return zone;
    }
}
