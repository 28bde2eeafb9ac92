package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the WAL archive from growing forever. What stays is what an incremental on top of the newest stored
 * backup needs: every segment from that backup's stop WAL file on (recorded when the backup is stored). Without
 * any backup nothing is needed, and only the newest segment stays. An incremental whose parent is older than
 * the newest backup may find its parent's WAL gone, and fails saying so (Trove's "Cannot find parent backup WAL
 * file").
 * Once point-in-time restore ships the archive, nothing after the newest shipped segment goes either.
 * <p>
 * The archive may still not outgrow the volume: above half of the volume (Trove's limit too) everything but
 * the newest segment goes, and the next incremental fails until a full backup is taken.
 * <p>
 * Nothing is pruned while a backup runs (a full backup's stop WAL is archived after its stream ends, and is
 * what the backup is recorded with) or while a restored cluster has its archive recovery ahead of it.
 */
final class WalArchivePruning {

    private static final Logger log = LoggerFactory.getLogger(WalArchivePruning.class);
    /** How often the status loop's housekeeping looks (Trove's periodic task runs every 180 s). */
    static final Duration INTERVAL = Duration.ofSeconds(60);

    private final WalArchive archive;
    private final Path volume;
    private final Path recoverySignal;
    private boolean backupRunning;
    private long lastRunNanos;
    private boolean ranOnce;

    WalArchivePruning(WalArchive archive, Path volume, Path recoverySignal) {
        this.archive = archive;
        this.volume = volume;
        this.recoverySignal = recoverySignal;
    }

    /** A backup is reading the archive (or will need its end archived): prune nothing until it has ended. */
    synchronized void backupStarted() {
        backupRunning = true;
    }

    /**
     * The backup has ended; {@code stopWalFile} is the last segment it covers when it was stored, null when it
     * failed (or could not tell). A stored one is now the newest backup: from its stop WAL file on is kept.
     */
    synchronized void backupEnded(String stopWalFile) {
        backupRunning = false;
        if (stopWalFile != null) {
            archive.recordNewestBackupStop(stopWalFile);
            // due at the status loop's next look, not here: deleting a big archive (134 segments after a bulk
            // load took 0.9 s) would otherwise hold up the backup's COMPLETED
            ranOnce = false;
        }
    }

    /** The status loop's housekeeping: prunes when {@link #INTERVAL} has passed since the last time. */
    synchronized void pruneIfDue() {
        if (ranOnce && System.nanoTime() - lastRunNanos < INTERVAL.toNanos()) {
            return;
        }
        prune();
    }

    /** Prunes now (unless a backup runs or a recovery is pending); failures are logged, never thrown. */
    synchronized void prune() {
        lastRunNanos = System.nanoTime();
        ranOnce = true;
        if (backupRunning || Files.exists(recoverySignal) || !Files.isDirectory(archive.dir())) {
            return;
        }
        try {
            List<String> segments = archive.segments();
            if (segments.isEmpty()) {
                return;
            }
            String newest = segments.get(segments.size() - 1);
            Optional<String> recorded = archive.newestBackupStop();
            String keepFrom = recorded.orElse(newest);
            // point-in-time restore ships the archive: what is not shipped yet stays
            Optional<String> shipped = archive.shippedThrough();
            if (shipped.isPresent() && shipped.get().compareTo(keepFrom) < 0) {
                keepFrom = shipped.get();
            }
            if (keepFrom.compareTo(newest) < 0 && tooBig()) {
                log.warn("The WAL archive {} holds more than half of the volume: pruning it to its newest segment "
                        + "{}; an incremental backup needs a new full backup first", archive.dir(), newest);
                keepFrom = newest;
            }
            archive.deleteOlderThan(keepFrom);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not prune the WAL archive {}: {}", archive.dir(), e.getMessage());
        }
    }

    private boolean tooBig() throws IOException {
        long total = Files.getFileStore(volume).getTotalSpace();
        return total > 0 && archive.size() > total / 2;
    }
}
