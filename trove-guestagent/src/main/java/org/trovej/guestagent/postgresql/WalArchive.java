package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.FilesystemStats;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.OsUser;

/**
 * The WAL archive: {@code <data_dir>/wal_archive}, on the data volume beside the cluster (Trove's
 * {@code /var/lib/postgresql/data/wal_archive} beside {@code pgdata}), so it is neither in a full backup nor in
 * the data size a backup reports. The server's {@code archive_command} copies every completed WAL segment
 * here; an incremental backup is the segments since its parent's; a restore puts an incremental's segments
 * back here for the recovery's {@code restore_command}.
 * <p>
 * Beside the WAL files it holds two files of the agent's: {@value #NEWEST_BACKUP}, the first WAL segment the
 * newest stored backup's incremental would need, from which on nothing is pruned, and, once point-in-time
 * restore ships the archive, {@value #SHIPPED_THROUGH}, the newest segment shipped (nothing after it is pruned). A restore empties the
 * directory, so a restored instance starts with no such record, as it has no backups of its own yet.
 */
final class WalArchive {

    static final String NEWEST_BACKUP = ".newest-backup-stop-wal";
    /** The newest segment shipped for point-in-time restore ({@link PostgresLogShipper}). */
    static final String SHIPPED_THROUGH = ".shipped-through";
    private static final Logger log = LoggerFactory.getLogger(WalArchive.class);
    private static final Duration STALE_TEMPORARY = Duration.ofHours(1);

    private final Path dir;
    private final String runAs;

    WalArchive(Path dir, String runAs) {
        this.dir = dir;
        this.runAs = runAs;
    }

    static WalArchive of(PostgresSettings settings) {
        return new WalArchive(settings.walArchiveDir(), settings.runAs());
    }

    Path dir() {
        return dir;
    }

    /** Creates the directory for the server's user: it must exist before a server with archiving starts. */
    void ensure() {
        OsUser.ensureDirectory(dir, runAs, "rwx------");
    }

    /**
     * The server's {@code archive_command}: a copy under a temporary name, flushed, then renamed, so the
     * archive never holds half a segment under a real name. A segment already there with the same bytes counts
     * as archived (the server archives a segment again after a crash in between); with other bytes the command
     * fails and the server keeps the segment and retries, as PostgreSQL's documentation asks.
     */
    String archiveCommand() {
        String target = shellQuote(dir.toString()) + "/%f";
        return "test ! -f " + target + " && cp %p " + target + ".tmp && sync " + target + ".tmp && mv "
                + target + ".tmp " + target + " || cmp -s %p " + target;
    }

    /** The recovery's {@code restore_command}; a segment that is not here is the end of the archive. */
    String restoreCommand() {
        String source = shellQuote(dir.toString()) + "/%f";
        return "test -f " + source + " && cp " + source + " \"%p\"";
    }

    boolean contains(String fileName) {
        return Files.isRegularFile(dir.resolve(fileName));
    }

    /** The segments here, in WAL order. */
    List<String> segments() throws IOException {
        return names().stream().filter(WalFileName::isSegment).sorted().toList();
    }

    /** The timeline history files here ({@code 00000002.history}): tiny, and a recovery across timelines needs them. */
    List<String> historyFiles() throws IOException {
        return names().stream().filter(n -> n.matches("[0-9A-F]{8}\\.history")).sorted().toList();
    }

    /**
     * Every segment from {@code first} to {@code last}, both included, which must all be here: a gap (archiving
     * that was off or failing for a while, a pruned segment) is a chain that recovery could not replay.
     */
    List<String> segmentsBetween(String first, String last) throws IOException {
        WalFileName from = WalFileName.parse(first);
        WalFileName to = WalFileName.parse(last);
        if (from.timeline() != to.timeline()) {
            throw new IOException("the WAL timeline changed from " + from.timeline() + " to " + to.timeline()
                    + " since the parent backup: take a full backup");
        }
        if (to.compareTo(from) < 0) {
            throw new IOException("WAL file " + last + " comes before " + first);
        }
        if (!contains(first)) {
            throw new IOException("WAL file " + first + " is not in the WAL archive");
        }
        // archived segments are whole segments: the first one's size is the cluster's segment size
        long segmentBytes = Files.size(dir.resolve(first));
        if (segmentBytes <= 0 || Long.bitCount(segmentBytes) != 1) {
            throw new IOException("WAL file " + first + " in the WAL archive is damaged (" + segmentBytes + " bytes)");
        }
        List<String> segments = new ArrayList<>();
        for (WalFileName name = from; name.compareTo(to) <= 0; name = name.next(segmentBytes)) {
            if (!contains(name.toString())) {
                throw new IOException("WAL file " + name + " is missing from the WAL archive (between " + first
                        + " and " + last + "): archiving was off or failing for a while; take a full backup");
            }
            segments.add(name.toString());
        }
        return segments;
    }

    /**
     * The segments from {@code first} to {@code last} that end at {@code last} without a hole, oldest first: all
     * of them when none is missing, else only those after the newest hole (or timeline change).
     */
    List<String> runEndingAt(String first, String last) throws IOException {
        WalFileName end = WalFileName.parse(last);
        long segmentBytes = Files.size(dir.resolve(last));
        List<String> run = new ArrayList<>();
        String expected = null;
        for (String segment : segments()) {
            if (segment.compareTo(first) < 0 || segment.compareTo(last) > 0) {
                continue;
            }
            WalFileName name = WalFileName.parse(segment);
            if (name.timeline() != end.timeline() || (expected != null && !segment.equals(expected))) {
                run.clear();
            }
            if (name.timeline() == end.timeline()) {
                run.add(segment);
                expected = name.next(segmentBytes).toString();
            } else {
                expected = null;
            }
        }
        return run;
    }

    /** The segment after {@code segment}, in this archive's segment size (taken from {@code sized}, a segment here). */
    String successor(String segment, String sized) throws IOException {
        return WalFileName.parse(segment).next(Files.size(dir.resolve(sized))).toString();
    }

    /** Waits until the archiver has copied {@code wal}; a failing archiver is named in the message. */
    void awaitArchived(Statement s, String wal, Duration wait) throws SQLException, IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!contains(wal)) {
            if (System.nanoTime() > deadline) {
                String failure = "";
                try (ResultSet rs = s.executeQuery("SELECT last_failed_wal, last_failed_time::text "
                        + "FROM pg_stat_archiver WHERE last_failed_wal IS NOT NULL")) {
                    if (rs.next()) {
                        failure = "; the archiver last failed on " + rs.getString(1) + " at " + rs.getString(2)
                                + " (see the PostgreSQL log)";
                    }
                }
                throw new IOException("WAL file " + wal + " was not archived within " + wait.toSeconds()
                        + " s" + failure);
            }
            Pause.sleep(50, "while waiting for the WAL archiver");
        }
    }

    /** The newest segment shipped for point-in-time restore, if shipping ever ran on this archive. */
    Optional<String> shippedThrough() {
        return readSegmentName(SHIPPED_THROUGH);
    }

    void forgetShipped() throws IOException {
        Files.deleteIfExists(dir.resolve(SHIPPED_THROUGH));
    }

    void recordShippedThrough(String segment) {
        OsUser.writeFile(dir.resolve(SHIPPED_THROUGH), segment + "\n", runAs, "rw-------");
    }

    /** Bytes in the archive: Trove's {@code wal_archive_size}. */
    long size() {
        return FilesystemStats.directorySize(dir);
    }

    /** Empties the archive (before a restore: what is here belongs to the data being replaced). */
    void clear() {
        TemplateDirectories.deleteTree(dir);
        ensure();
    }

    /** The first segment the newest stored backup's incremental needs, if a backup was recorded. */
    Optional<String> newestBackupStop() {
        return readSegmentName(NEWEST_BACKUP);
    }

    private Optional<String> readSegmentName(String marker) {
        Path file = dir.resolve(marker);
        try {
            String name = Files.readString(file).strip();
            return WalFileName.isSegment(name) ? Optional.of(name) : Optional.empty();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void recordNewestBackupStop(String stopWalFile) {
        OsUser.writeFile(dir.resolve(NEWEST_BACKUP), stopWalFile + "\n", runAs, "rw-------");
    }

    /**
     * Deletes the WAL files (segments, partial segments, backup history files) whose segment comes before
     * {@code keepFrom}, and temporary copies the archive command left behind long ago. Timeline history files
     * stay.
     *
     * @return how many files were deleted
     */
    int deleteOlderThan(String keepFrom) throws IOException {
        int deleted = 0;
        Instant staleBefore = Instant.now().minus(STALE_TEMPORARY);
        for (String name : names()) {
            String segment = WalFileName.prefixOf(name);
            if (segment == null || segment.compareTo(keepFrom) >= 0) {
                continue;
            }
            Path file = dir.resolve(name);
            // a temporary copy may be the archiver's work in progress: only an old one is abandoned
            if (name.endsWith(".tmp") && Files.getLastModifiedTime(file).toInstant().isAfter(staleBefore)) {
                continue;
            }
            if (Files.deleteIfExists(file)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            log.info("Pruned {} archived WAL file(s) older than {}", deleted, keepFrom);
        }
        return deleted;
    }

    private List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                names.add(file.getFileName().toString());
            }
        }
        return names;
    }

    /** One word for sh: in single quotes, a single quote as {@code '\''}. */
    static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
