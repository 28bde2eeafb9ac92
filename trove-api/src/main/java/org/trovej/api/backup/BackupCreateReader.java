package org.trovej.api.backup;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.api.error.ApiException;
import org.trovej.api.validation.AccountSchemas;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;

/** Reads a backup create body: Trove's schema first (400 "Validation error: ..."), then its container check. */
final class BackupCreateReader {

    /** What Python's shlex.quote leaves unquoted: Trove refuses any other container name (utils.validate_command). */
    private static final Pattern SHELL_SAFE = Pattern.compile("^[A-Za-z0-9_@%+=:,./-]+$");

    private BackupCreateReader() {
    }

    static BackupCreateSpec read(JsonNode body) {
        AccountSchemas.body(body, "backup", BackupCreateReader::backup).throwIfAny();
        JsonNode backup = body.get("backup");
        JsonNode restore = backup.get("restore_from");
        BackupCreateSpec.RestoreFrom restoreFrom = restore == null || restore.isNull() ? null
                : new BackupCreateSpec.RestoreFrom(restore.get("remote_location").textValue(),
                        restore.get("local_datastore_version_id").textValue(), restore.get("size").doubleValue());
        return new BackupCreateSpec(backup.get("name").textValue(), text(backup.get("description")),
                text(backup.get("instance")), text(backup.get("parent_id")),
                backup.hasNonNull("incremental") && backup.get("incremental").asInt() == 1,
                text(backup.get("swift_container")), restoreFrom, text(backup.get("storage_driver")));
    }

    /** Trove's validate_command on the container name. */
    static void checkContainer(String container) {
        if (container != null && !SHELL_SAFE.matcher(container).matches()) {
            throw ApiException.badRequest("The value is not allowed: " + container + ".");
        }
    }

    private static boolean backup(Violations v, String path, JsonNode n) {
        if (!Schemas.object(v, path, n)) {
            return false;
        }
        Schemas.required(v, path, n, "name");
        property(v, path, n, "description", Schemas::nonEmptyString);
        property(v, path, n, "instance", Schemas::uuid);
        property(v, path, n, "name", Schemas::nonEmptyString);
        property(v, path, n, "parent_id", Schemas::uuid);
        property(v, path, n, "incremental", (w, p, x) -> Schemas.integer(w, p, x, 0, 1));
        property(v, path, n, "swift_container", Schemas::nonEmptyString);
        property(v, path, n, "restore_from", BackupCreateReader::restoreFrom);
        return true;
    }

    private static boolean restoreFrom(Violations v, String path, JsonNode n) {
        if (!Schemas.object(v, path, n)) {
            return false;
        }
        Schemas.required(v, path, n, "remote_location", "local_datastore_version_id", "size");
        property(v, path, n, "remote_location", Schemas::nonEmptyString);
        property(v, path, n, "local_datastore_version_id", Schemas::uuid);
        property(v, path, n, "size", Schemas::number);
        return true;
    }

    private static void property(Violations v, String path, JsonNode object, String key, Schemas.Check check) {
        if (object.has(key)) {
            check.check(v, Violations.key(path, key), object.get(key));
        }
    }

    private static String text(JsonNode n) {
        return n == null || !n.isTextual() ? null : n.textValue();
    }
}
