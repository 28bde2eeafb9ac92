package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.backup.BackupSource;
import org.trovej.guestagent.backup.ToolProcess;
import org.trovej.guestagent.os.Commands;

/**
 * PostgreSQL's incremental backup, as Trove makes it: a tar of the archived WAL segments from the parent's stop
 * WAL file to now. To make "now" a point a restore can stop at exactly, a named restore point is written first
 * and stored with the backup ({@code Restore-Point}, TroveJ's own metadata); then a WAL switch completes the
 * segment holding it, and the backup waits until the archiver has copied that segment. The segments must be
 * all there, one after the other: a gap is refused here rather than found at a restore.
 */
final class PostgresIncrementalBackup {

    /** TroveJ's metadata: the restore point a restore of this incremental recovers to. */
    static final String RESTORE_POINT = "Restore-Point";
    private static final Logger log = LoggerFactory.getLogger(PostgresIncrementalBackup.class);
    private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(120);
    private static final String PARENT_STOP_WAL = BackupHistoryFile.STOP_WAL_FILE.toLowerCase(Locale.ROOT);

    private final PostgresSettings settings;
    private final PostgresAdmin admin;
    private final WalArchive archive;
    private final Commands asRunAs;

    PostgresIncrementalBackup(PostgresSettings settings, PostgresAdmin admin, WalArchive archive, Commands asRunAs) {
        this.settings = settings;
        this.admin = admin;
        this.archive = archive;
        this.asRunAs = asRunAs;
    }

    BackupSource open(Map<String, String> parentMetadata) throws IOException {
        String parentStop = parentMetadata.get(PARENT_STOP_WAL);
        if (parentStop == null || !WalFileName.isSegment(parentStop)) {
            throw new IOException("The parent backup records no stop WAL file (it was taken before WAL archiving): "
                    + "take a full backup first");
        }
        String restorePoint = "trove-incremental-" + UUID.randomUUID();
        String stopWal;
        String restorePointLsn;
        try (Connection c = admin.connect("postgres"); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) ARCHIVE_WAIT.toSeconds());
            requireArchiving(s);
            if (!archive.contains(parentStop)) {
                throw new IOException("Cannot find parent backup WAL file " + parentStop + " in the WAL archive: "
                        + "only what an incremental on the newest backup needs is kept; take a full backup");
            }
            restorePointLsn = text(s, "SELECT pg_create_restore_point(" + PostgresAdmin.literal(restorePoint)
                    + ")::text");
            // the switch completes the segment holding the restore point, so that the archiver copies it now
            stopWal = text(s, "SELECT pg_walfile_name(pg_switch_wal())");
            archive.awaitArchived(s, stopWal, ARCHIVE_WAIT);
        } catch (SQLException e) {
            throw new IOException("PostgreSQL refused the incremental backup's steps: " + e.getMessage(), e);
        }
        List<String> files = new ArrayList<>(archive.segmentsBetween(parentStop, stopWal));
        int segments = files.size();
        files.addAll(archive.historyFiles());
        log.info("Incremental backup: {} WAL segment(s) {}..{} and {} history file(s), restore point {} at {}",
                segments, parentStop, stopWal, files.size() - segments, restorePoint, restorePointLsn);
        List<String> command = new ArrayList<>(List.of("tar", "-c", "-f", "-", "-C", archive.dir().toString(), "--"));
        command.addAll(files);
        InputStream tar = ToolProcess.start("tar", asRunAs.builder(command, settings.dataDir())).output();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(BackupHistoryFile.START_WAL_FILE, parentStop);
        metadata.put(BackupHistoryFile.STOP_SEGMENT, restorePointLsn);
        metadata.put(BackupHistoryFile.STOP_WAL_FILE, stopWal);
        metadata.put(BackupHistoryFile.LABEL, restorePoint);
        metadata.put(RESTORE_POINT, restorePoint);
        return new BackupSource(tar, () -> metadata);
    }

    /**
     * Archiving must be on and go to this archive: a cluster started before the agent turned archiving on (it
     * is set at every start) has it off until its next start.
     */
    private void requireArchiving(Statement s) throws SQLException, IOException {
        String mode;
        String source;
        try (ResultSet rs = s.executeQuery("SELECT setting, coalesce(sourcefile, '') FROM pg_settings "
                + "WHERE name = 'archive_mode'")) {
            rs.next();
            mode = rs.getString(1);
            source = rs.getString(2);
        }
        if ("off".equals(mode)) {
            if (source.endsWith("postgresql.auto.conf")) {
                throw new IOException("WAL archiving is not on: archive_mode was turned off with ALTER SYSTEM; "
                        + "run ALTER SYSTEM RESET archive_mode and restart the instance");
            }
            throw new IOException("WAL archiving is not on: restart the instance");
        }
        String command = text(s, "SELECT current_setting('archive_command')");
        if (!archive.archiveCommand().equals(command)) {
            throw new IOException("WAL archiving does not go to the guest agent's archive " + archive.dir()
                    + " (archive_command is '" + command + "'): restart the instance");
        }
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
