package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore of an incremental chain, after the full backup is in PGDATA: each incremental's WAL goes into the
 * archive, and once all are there the cluster is set up for an archive recovery (Trove's way):
 * {@code recovery.signal}, a {@code restore_command} reading the archive, and, when the newest incremental names
 * its restore point, that point as the target. With a target, WAL that ends before it (a segment missing from
 * the chain) makes the server refuse to start ("recovery ended before configured recovery target was
 * reached") instead of coming up with older data. The first start then replays up to there and promotes, on a
 * new timeline.
 */
final class PostgresRecoveryPlan {

    private static final Logger log = LoggerFactory.getLogger(PostgresRecoveryPlan.class);
    private static final String START_WAL = BackupHistoryFile.START_WAL_FILE.toLowerCase(Locale.ROOT);
    private static final String STOP_WAL = BackupHistoryFile.STOP_WAL_FILE.toLowerCase(Locale.ROOT);
    private static final String RESTORE_POINT = PostgresIncrementalBackup.RESTORE_POINT.toLowerCase(Locale.ROOT);

    private final WalArchive archive;
    private final PostgresConfigFiles files;
    private int applied;
    private String firstStartWal;
    private String lastStopWal;
    private String restorePoint;

    PostgresRecoveryPlan(WalArchive archive, PostgresConfigFiles files) {
        this.archive = archive;
        this.files = files;
    }

    /** A new restore begins. */
    synchronized void reset() {
        applied = 0;
        firstStartWal = null;
        lastStopWal = null;
        restorePoint = null;
    }

    /** An incremental's WAL is in the archive; {@code metadata}: its stored metadata, names lower-cased. */
    synchronized void applied(Map<String, String> metadata) {
        applied++;
        String start = metadata.get(START_WAL);
        if (applied == 1 && start != null && WalFileName.isSegment(start)) {
            firstStartWal = start;
        }
        String stop = metadata.get(STOP_WAL);
        lastStopWal = stop != null && WalFileName.isSegment(stop) ? stop : null;
        restorePoint = metadata.get(RESTORE_POINT);
    }

    /** After the chain is restored: sets up the recovery (or, for a full backup alone, makes sure none is set). */
    synchronized void finish(int incrementals) throws IOException {
        if (incrementals == 0) {
            // a full backup recovers from its own WAL (backup_label); settings a restored source left go
            files.removeRecoverySettings();
            return;
        }
        if (applied != incrementals) {
            throw new IOException(incrementals + " incremental(s) in the chain but " + applied + " applied");
        }
        if (firstStartWal != null && lastStopWal != null) {
            int segments = archive.segmentsBetween(firstStartWal, lastStopWal).size();
            log.info("The WAL archive holds the chain's {} segment(s) {}..{}", segments, firstStartWal, lastStopWal);
        }
        files.writeRecoverySettings(archive.restoreCommand(), restorePoint, null);
        log.info("Archive recovery set up{}", restorePoint == null ? " (to the end of the archived WAL)"
                : " to restore point " + restorePoint);
    }

    /**
     * A point-in-time restore, after the chain and the shipped WAL are in place: the recovery replays to
     * {@code restoreTime} (commits at that moment included) and promotes; WAL that ends before it makes the server
     * refuse to start rather than come up short of the moment. {@code restoreTime} null: to the end of the WAL.
     */
    synchronized void finishAt(int incrementals, Instant restoreTime) throws IOException {
        if (applied != incrementals) {
            throw new IOException(incrementals + " incremental(s) in the chain but " + applied + " applied");
        }
        files.writeRecoverySettings(archive.restoreCommand(), null, restoreTime);
        log.info("Archive recovery set up to {} ({} archived WAL segment(s) at hand)",
                restoreTime == null ? "the end of the shipped WAL" : restoreTime, archive.segments().size());
    }
}
