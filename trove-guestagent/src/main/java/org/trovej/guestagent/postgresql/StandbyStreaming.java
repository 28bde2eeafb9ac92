package org.trovej.guestagent.postgresql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.datastore.ServerLog;

/**
 * Whether a standby's WAL receiver streams from its source, read from {@code pg_stat_wal_receiver}, and why not
 * from the server log.
 */
final class StandbyStreaming {

    /** The source refuses this server's WAL position: it is past where the source left the old timeline. */
    private static final List<String> DIVERGED = List.of("is not in this server's history",
            "forked off current database system timeline");
    private static final Duration STREAMING_WAIT = Duration.ofSeconds(90);
    private static final Logger log = LoggerFactory.getLogger(StandbyStreaming.class);

    private final PostgresSettings settings;
    private final PostgresAdmin admin;
    private final PostgresStandbyFiles standbyFiles;

    StandbyStreaming(PostgresSettings settings, PostgresAdmin admin, PostgresStandbyFiles standbyFiles) {
        this.settings = settings;
        this.admin = admin;
        this.standbyFiles = standbyFiles;
    }

    /** Waits until the WAL receiver streams; fails with the server's reason past {@link #STREAMING_WAIT}. */
    void await() {
        if (!streams(STREAMING_WAIT, 0, 0)) {
            String why = new ServerLog(settings.logFile()).since(0, l -> l.contains("FATAL:") || l.contains("ERROR:"));
            throw new GuestError("The replica does not stream from " + standbyFiles.sourceName() + " after "
                    + STREAMING_WAIT.toSeconds() + " s: " + why);
        }
    }

    /**
     * Whether the WAL receiver streams (on {@code timeline} or a later one, when not 0) within {@code wait}; false at
     * once when the server log (from {@code logOffset}, when not 0) says the source's history has no place for this
     * server's WAL (it went past the point the source was promoted at).
     */
    boolean streams(Duration wait, long logOffset, long timeline) {
        long deadline = System.nanoTime() + wait.toNanos();
        ServerLog serverLog = new ServerLog(settings.logFile());
        while (System.nanoTime() < deadline) {
            try (Connection c = admin.connect("postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT status, received_tli FROM pg_stat_wal_receiver")) {
                if (rs.next() && "streaming".equals(rs.getString(1)) && rs.getLong(2) >= timeline) {
                    log.info("Streaming from {}", standbyFiles.sourceName());
                    return true;
                }
            } catch (SQLException e) {
                log.debug("WAL receiver not checked: {}", e.getMessage());
            }
            if (logOffset > 0) {
                String diverged = serverLog.since(logOffset, l -> DIVERGED.stream().anyMatch(l::contains));
                if (DIVERGED.stream().anyMatch(diverged::contains)) {
                    log.info("The new source's history has no place for this standby's WAL: {}", diverged);
                    return false;
                }
            }
            Pause.sleep(100, "while waiting for the replica to stream");
        }
        return false;
    }
}
