package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

/**
 * What an engine contributes to backups; everything else (compression, encryption, checksums, segments, the
 * store, the parent chain, reporting) is shared. An engine that has none refuses {@code create_backup} and a
 * restore; one without incrementals refuses those.
 * <p>
 * A restore is {@link #clearDataDirectory}, {@link #restore} of the chain's full backup, {@link
 * #restoreIncremental} of each incremental on top of it (oldest first), then {@link #finishRestore}; only then
 * may the database start.
 */
public interface BackupEngine {

    /**
     * The archive's ending in the object name, before the compression's and {@code .enc} (PostgreSQL:
     * {@code .tar}, as in Trove's {@code .tar.gz}).
     */
    String archiveSuffix();

    /** Bytes of the database's data on disk now: what a backup starting now will hold, about. */
    long dataSize();

    /**
     * Starts a full backup of the running database: its stream, which ends in an IOException carrying the tool's
     * message if the tool fails. Closing it before its end stops the tool.
     */
    BackupSource openFullBackup() throws IOException;

    /**
     * The same, where the engine's own tool may compress as {@code wanted} (cheaper than the pipeline doing it on a
     * stream of the whole database): the source says whether it did ({@link BackupSource#compressed}).
     */
    default BackupSource openFullBackup(BackupCompression wanted) throws IOException {
        return openFullBackup();
    }

    /**
     * Starts an incremental backup: what changed since the parent, whose stored metadata (names lower-cased, as
     * {@link BackupStore.StoredObject#metadata}) is {@code parentMetadata}.
     */
    default BackupSource openIncrementalBackup(Map<String, String> parentMetadata) throws IOException {
        throw new IOException("Incremental backups are not supported for this datastore by this guest agent");
    }

    /**
     * A backup this engine opened ({@link #openFullBackup}, {@link #openIncrementalBackup}) has ended: {@code stored}
     * true once its object is stored (it is reported COMPLETED next), with {@code metadata} the engine's own
     * metadata of it; false when it failed (then {@code metadata} is empty). An engine keeps here what the next
     * incremental needs (PostgreSQL: the archived WAL from this backup on).
     */
    default void backupEnded(boolean stored, Map<String, String> metadata) {
    }

    /** Empties the data directory (the server is stopped): before a restore, and after a failed one. */
    void clearDataDirectory() throws IOException;

    /** Restores a full backup's stream (what {@link #openFullBackup} produced) into the empty data directory. */
    void restore(InputStream stream) throws IOException;

    /**
     * Applies an incremental's stream (what {@link #openIncrementalBackup} produced) on top of what is restored
     * so far; {@code metadata} is the incremental's stored metadata, names lower-cased.
     */
    default void restoreIncremental(InputStream stream, Map<String, String> metadata) throws IOException {
        throw new IOException("Incremental backups cannot be restored for this datastore by this guest agent");
    }

    /**
     * After the whole chain is restored and verified: whatever the data directory needs before the first start
     * (e.g. recovery settings, a prepare step). {@code incrementals}: how many were applied on the full backup.
     */
    default void finishRestore(int incrementals) throws IOException {
    }

    /**
     * Where the engine's transaction log continues after a stored backup, from the engine's own metadata of it
     * (PostgreSQL: its stop WAL file): reported with the backup ({@code log_position}), so that the control plane
     * knows which shipped log a point-in-time restore from this backup needs. null when the engine ships no log.
     */
    default String logPosition(Map<String, String> metadata) {
        return null;
    }

    /** Puts a shipped log object's stream ({@link org.trovej.guestagent.pitr.LogShipper}'s) where recovery reads it. */
    default void restoreLog(InputStream stream) throws IOException {
        throw new IOException("Point-in-time restore is not supported for this datastore by this guest agent");
    }

    /**
     * {@link #finishRestore(int)} for a point-in-time restore: after the chain and the shipped log, the database's
     * first start replays the log up to {@code restoreTime} and stops there.
     */
    default void finishRestore(int incrementals, Instant restoreTime) throws IOException {
        throw new IOException("Point-in-time restore is not supported for this datastore by this guest agent");
    }
}
