package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.trovej.guestagent.backup.ToolProcess;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.pitr.LogBatch;
import org.trovej.guestagent.pitr.LogShipper;

/**
 * PostgreSQL's log shipping for point-in-time restore: the WAL archive ({@link WalArchive}), which the server's
 * {@code archive_command} fills anyway, shipped segment by segment. A turn in which WAL was written notes the
 * server's clock, commits one empty transaction, switches to a new WAL segment ({@code pg_switch_wal()}) and waits
 * for the archiver: every transaction committed before the noted moment is then in an archived segment, followed by
 * a commit after it. A turn in which no transaction committed ships nothing and switches nothing (an idle database
 * makes no 16 MB segments; the background's own WAL, checkpoints and standby snapshots, would otherwise make one
 * every turn): it only reports that what is shipped holds everything until now. Shipping
 * starts at the newest backup's stop WAL file, so that the first restorable moment is that backup's end; then it
 * goes on from the last shipped segment. A segment missing from the archive (archiving off for a while, the
 * archive pruned because it outgrew the volume) or a new timeline makes the next batch start after the hole,
 * flagged, and no restore crosses it. A replica ships nothing.
 */
final class PostgresLogShipper implements LogShipper {

    private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(60);
    private static final String NEXT_XID = "SELECT txid_snapshot_xmax(txid_current_snapshot())::text";

    private final PostgresSettings settings;
    private final PostgresServer server;
    private final PostgresAdmin admin;
    private final WalArchive archive;
    private final Commands asRunAs;
    /** The transaction id next to be given out, right after this agent's last switch: unchanged means no commit. */
    private volatile String nextXid;

    PostgresLogShipper(PostgresSettings settings, PostgresServer server, PostgresAdmin admin) {
        this.settings = settings;
        this.server = server;
        this.admin = admin;
        this.archive = WalArchive.of(settings);
        this.asRunAs = new Commands(settings.runAs());
    }

    @Override
    public Optional<LogBatch> nextBatch() throws IOException {
        Optional<String> shipped = archive.shippedThrough();
        Optional<String> base = archive.newestBackupStop();
        if ((shipped.isEmpty() && base.isEmpty()) || !server.processState().running()) {
            return Optional.empty();
        }
        Instant until;
        String closed;
        try (Connection c = admin.connect("postgres"); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) ARCHIVE_WAIT.toSeconds());
            if (text(s, "SELECT pg_is_in_recovery()::text").equals("true")) {
                return Optional.empty();
            }
            if (shipped.isPresent() && text(s, NEXT_XID).equals(nextXid)) {
                // no transaction took an id since the last switch, so none committed a change: what is shipped holds
                // everything until now (WAL without commits, a checkpoint or vacuum, waits for the next commit)
                return Optional.of(LogBatch.idle(shipped.get(), instant(s, "SELECT clock_timestamp()")));
            }
            until = instant(s, "SELECT clock_timestamp()");
            // a commit after the noted moment, in the segment being closed: a recovery to any moment before it finds
            // a later commit in the shipped WAL and stops there (without one, it would run off the end and refuse)
            text(s, "SELECT txid_current()::text");
            nextXid = text(s, NEXT_XID);
            closed = text(s, "SELECT pg_walfile_name(pg_switch_wal())");
            archive.awaitArchived(s, closed, ARCHIVE_WAIT);
        } catch (SQLException e) {
            throw new IOException("PostgreSQL refused to close its WAL segment: " + e.getMessage(), e);
        }
        String from = shipped.isPresent() ? archive.successor(shipped.get(), closed) : base.get();
        if (from.compareTo(closed) > 0) {
            return Optional.of(LogBatch.idle(shipped.orElse(closed), until));
        }
        List<String> segments = archive.runEndingAt(from, closed);
        List<String> files = new ArrayList<>(segments);
        files.addAll(archive.historyFiles());
        List<String> command = new ArrayList<>(List.of("tar", "-c", "-f", "-", "-C", archive.dir().toString(), "--"));
        command.addAll(files);
        return Optional.of(new LogBatch(segments, segments.get(0), closed, until, !segments.get(0).equals(from), ".tar",
                () -> ToolProcess.start("tar", asRunAs.builder(command, settings.dataDir())).output()));
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Instant instant(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    @Override
    public void shipped(LogBatch batch) {
        archive.recordShippedThrough(batch.last());
    }

    /** The archive is pruned as without shipping again; the next start ships from the newest backup's stop. */
    @Override
    public void forget() throws IOException {
        archive.forgetShipped();
        nextXid = null;
    }
}
