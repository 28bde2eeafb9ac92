package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup history file PostgreSQL writes into {@code pg_wal} (and then archives) when a base backup ends,
 * {@code <start segment>.<offset>.backup}: where the backup's WAL starts and stops, its checkpoint and its
 * label. Trove reads the same file for the same facts, and stores them with the backup under the same names.
 */
record BackupHistoryFile(String startSegment, String startWalFile, String stopSegment, String stopWalFile,
                         String checkpointLocation, String label) {

    /** Trove's metadata names (X-Object-Meta-Stop-Wal-File, ...); an incremental reads its parent's stop WAL file. */
    static final String START_SEGMENT = "Start-Segment";
    static final String START_WAL_FILE = "Start-Wal-File";
    static final String STOP_SEGMENT = "Stop-Segment";
    static final String STOP_WAL_FILE = "Stop-Wal-File";
    static final String CHECKPOINT_LOCATION = "Checkpoint-Location";
    static final String LABEL = "Label";

    private static final Pattern START = Pattern.compile("START WAL LOCATION: (\\S+) \\(file ([0-9A-F]{24})\\)");
    private static final Pattern STOP = Pattern.compile("STOP WAL LOCATION: (\\S+) \\(file ([0-9A-F]{24})\\)");
    private static final Pattern CHECKPOINT = Pattern.compile("CHECKPOINT LOCATION: (\\S+)");
    private static final Pattern LABEL_LINE = Pattern.compile("LABEL: (.*)");

    static Optional<BackupHistoryFile> parse(String text) {
        Matcher start = START.matcher(text);
        Matcher stop = STOP.matcher(text);
        Matcher label = LABEL_LINE.matcher(text);
        if (!start.find() || !stop.find() || !label.find()) {
            return Optional.empty();
        }
        Matcher checkpoint = CHECKPOINT.matcher(text);
        return Optional.of(new BackupHistoryFile(start.group(1), start.group(2), stop.group(1), stop.group(2),
                checkpoint.find() ? checkpoint.group(1) : null, label.group(1).strip()));
    }

    /**
     * The history file of the backup labelled {@code label} in one of {@code dirs} ({@code pg_wal}, where it is
     * written, or the archive, where it is copied and which keeps it after a checkpoint removed the first).
     */
    static Optional<BackupHistoryFile> find(String label, List<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.backup")) {
                for (Path file : files) {
                    Optional<BackupHistoryFile> parsed;
                    try {
                        parsed = parse(Files.readString(file));
                    } catch (java.nio.file.NoSuchFileException removed) {
                        continue; // removed by a checkpoint while we looked
                    }
                    if (parsed.isPresent() && parsed.get().label().equals(label)) {
                        return parsed;
                    }
                }
            }
        }
        return Optional.empty();
    }

    Map<String, String> metadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(START_SEGMENT, startSegment);
        metadata.put(START_WAL_FILE, startWalFile);
        metadata.put(STOP_SEGMENT, stopSegment);
        metadata.put(STOP_WAL_FILE, stopWalFile);
        if (checkpointLocation != null) {
            metadata.put(CHECKPOINT_LOCATION, checkpointLocation);
        }
        metadata.put(LABEL, label);
        return metadata;
    }
}
