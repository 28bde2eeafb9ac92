package org.trovej.api.schedule;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.api.error.ApiException;
import org.trovej.api.validation.AccountSchemas;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;
import org.trovej.service.schedule.BackupCron;

/**
 * Reads {@code {"backup_schedule": {"cron": ..., "timezone": ..., "keep_count": ..., "keep_days": ...,
 * "full_every": ...}}}: the schema first (400 "Validation error: ..."), then the cron and the zone, which must
 * parse, and a retention, which must be given (a schedule without one would fill the backups quota and then stop).
 */
final class BackupScheduleReader {

    static final int MAX_KEEP_COUNT = 1000;
    static final int MAX_KEEP_DAYS = 3660;
    static final int MAX_FULL_EVERY = 1000;
    private static final Set<String> KEYS = Set.of("cron", "timezone", "keep_count", "keep_days", "full_every");

    private BackupScheduleReader() {
    }

    static BackupScheduleSpec read(JsonNode body) {
        AccountSchemas.body(body, "backup_schedule", BackupScheduleReader::schedule).throwIfAny();
        JsonNode s = body.get("backup_schedule");
        String timezone = s.hasNonNull("timezone") ? s.get("timezone").textValue() : "UTC";
        BackupCron cron;
        try {
            cron = BackupCron.parse(s.get("cron").textValue(), timezone);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Integer keepCount = s.hasNonNull("keep_count") ? s.get("keep_count").intValue() : null;
        Integer keepDays = s.hasNonNull("keep_days") ? s.get("keep_days").intValue() : null;
        if (keepCount == null && keepDays == null) {
            throw ApiException.badRequest("A backup schedule needs a retention: keep_count, keep_days or both.");
        }
        int fullEvery = s.hasNonNull("full_every") ? s.get("full_every").intValue() : 1;
        return new BackupScheduleSpec(cron.text(), cron.zone().getId(), keepCount, keepDays, fullEvery);
    }

    private static boolean schedule(Violations v, String path, JsonNode n) {
        if (!Schemas.object(v, path, n)) {
            return false;
        }
        Schemas.required(v, path, n, "cron");
        Schemas.onlyProperties(v, path, n, KEYS);
        property(v, path, n, "cron", (w, p, x) -> Schemas.string(w, p, x, 1, 255, null));
        property(v, path, n, "timezone", (w, p, x) -> Schemas.string(w, p, x, 1, 64, null));
        property(v, path, n, "keep_count", (w, p, x) -> x.isNull() || Schemas.integer(w, p, x, 1, MAX_KEEP_COUNT));
        property(v, path, n, "keep_days", (w, p, x) -> x.isNull() || Schemas.integer(w, p, x, 1, MAX_KEEP_DAYS));
        property(v, path, n, "full_every", (w, p, x) -> Schemas.integer(w, p, x, 1, MAX_FULL_EVERY));
        return true;
    }

    private static void property(Violations v, String path, JsonNode object, String key, Schemas.Check check) {
        if (object.has(key)) {
            check.check(v, Violations.key(path, key), object.get(key));
        }
    }
}
