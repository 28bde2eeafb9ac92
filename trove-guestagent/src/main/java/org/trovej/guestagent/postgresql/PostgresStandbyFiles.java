package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.json.PythonJson;
import org.trovej.guestagent.os.OsUser;

/**
 * A replica's own files on the volume, outside PGDATA (so that a restore or pg_rewind leaves them alone): the source
 * it follows (or an old source will follow once demoted), the libpq password file for it, and the mark that a
 * failover's detach_replica was received. The password is written to the password file only, never logged.
 */
final class PostgresStandbyFiles {

    /** A replica's libpq password file for its source, on the volume outside PGDATA. */
    private static final String PASSFILE = "replication.pgpass";
    /** The source a replica follows (or an old source will follow once demoted): host, port, slot. */
    private static final String SOURCE_FILE = "replication-source.json";
    /** detach_replica(for_failover=true) was received: enable_as_master promotes. */
    private static final String PROMOTE_MARKER = ".guestagent.promote-pending";
    private static final Logger log = LoggerFactory.getLogger(PostgresStandbyFiles.class);

    private final PostgresSettings settings;
    private final String ownSlot;

    /** @param ownSlot this instance's slot on its source, when the source file names none */
    PostgresStandbyFiles(PostgresSettings settings, String ownSlot) {
        this.settings = settings;
        this.ownSlot = ownSlot;
    }

    Path passfile() {
        return settings.dataDir().resolve(PASSFILE);
    }

    /** Records the source (host, port; its password in the libpq password file, both 0600 as run_as). */
    void writeSource(ReplicationSource source) {
        String escaped = source.password().replace("\\", "\\\\").replace(":", "\\:");
        OsUser.writeFile(passfile(), "*:*:*:" + PostgresReplicationRole.USER + ":" + escaped + "\n",
                settings.runAs(), "rw-------");
        ObjectNode record = PythonJson.object();
        record.put("host", source.host());
        record.put("port", source.port());
        record.put("slot", source.slot());
        OsUser.writeFile(settings.dataDir().resolve(SOURCE_FILE), record.toString() + "\n", null, "rw-------");
    }

    /** The recorded source, or null when none is. */
    ReplicationSource readSource() {
        Path file = settings.dataDir().resolve(SOURCE_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode record = PythonJson.parse(Files.readString(file));
            return new ReplicationSource(record.path("host").asText(), record.path("port").asInt(),
                    readPassfilePassword(), record.path("slot").asText(ownSlot));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The recorded source's name, for messages. */
    String sourceName() {
        ReplicationSource source = readSource();
        return source == null ? "its source" : source.name();
    }

    /** A detached replica follows nothing any more: its source and its password go. */
    void forgetSource() {
        deleteQuietly(settings.dataDir().resolve(PASSFILE));
        deleteQuietly(settings.dataDir().resolve(SOURCE_FILE));
    }

    /** detach_replica(for_failover=true): enable_as_master promotes this replica, nothing else does. */
    void markForPromotion() {
        OsUser.writeFile(marker(), "detach_replica(for_failover=true)\n", null, "rw-------");
    }

    boolean markedForPromotion() {
        return Files.exists(marker());
    }

    void clearPromotionMark() {
        deleteQuietly(marker());
    }

    private Path marker() {
        return settings.dataDir().resolve(PROMOTE_MARKER);
    }

    private String readPassfilePassword() {
        try {
            if (!Files.isRegularFile(passfile())) {
                return "";
            }
            String line = Files.readString(passfile()).strip();
            String[] parts = line.split("(?<!\\\\):", 5);
            return parts.length == 5 ? parts[4].replace("\\:", ":").replace("\\\\", "\\") : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + passfile(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", file, e.getMessage());
        }
    }
}
