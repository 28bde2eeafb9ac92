package org.trovej.guestagent.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * The agent's record of its backups, in its own state directory (not on the volume, so a restore never brings
 * one back): {@code <id>.running} while a backup runs, holding what is needed to delete its partial objects
 * (store URL, container, object, the store token; the file is 0600), and {@code <id>.done} once it has been
 * reported. An agent that starts and finds a {@code .running} record was stopped in the middle of that backup; a
 * {@code create_backup} redelivered for a backup with either record is not run again.
 */
public final class BackupMarkers {

    /** A backup that was running. */
    public record Running(String backupId, String swiftUrl, String container, String object, String token) {
    }

    private final Path dir;

    public BackupMarkers(Path dir) {
        this.dir = dir;
    }

    public void begin(Running backup) throws IOException {
        Files.createDirectories(dir);
        ObjectNode record = PythonJson.object();
        record.put("backup_id", backup.backupId());
        record.put("swift_url", backup.swiftUrl());
        record.put("container", backup.container());
        record.put("object", backup.object());
        record.put("token", backup.token());
        Path tmp = dir.resolve(backup.backupId() + ".running.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, PythonJson.MAPPER.writeValueAsString(record));
        Files.move(tmp, running(backup.backupId()), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The backup has been reported COMPLETED or FAILED: its record no longer holds a token. */
    public void finish(String backupId) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(backupId + ".done"), "");
        Files.deleteIfExists(running(backupId));
    }

    /** Whether this backup was run (or begun) by this agent already. */
    public boolean known(String backupId) {
        return Files.exists(running(backupId)) || Files.exists(dir.resolve(backupId + ".done"));
    }

    /** The backups that were running when the agent stopped. */
    public List<Running> interrupted() throws IOException {
        List<Running> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.running")) {
            for (Path file : files) {
                String id = file.getFileName().toString().replaceFirst("\\.running$", "");
                try {
                    JsonNode record = PythonJson.MAPPER.readTree(Files.readString(file));
                    found.add(new Running(id, text(record, "swift_url"), text(record, "container"),
                            text(record, "object"), text(record, "token")));
                } catch (IOException e) {
                    // unreadable (cut short by the stop): the backup is still reported, its objects stay
                    found.add(new Running(id, null, null, null, null));
                }
            }
        }
        return found;
    }

    private Path running(String backupId) {
        if (!backupId.matches("[A-Za-z0-9_.-]+") || backupId.startsWith(".")) {
            throw new IllegalArgumentException("not a backup id: " + backupId);
        }
        return dir.resolve(backupId + ".running");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
