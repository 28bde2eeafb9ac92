package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;

/**
 * What an engine contributes to backups; everything else (compression, encryption, checksums, segments, the
 * store, reporting) is shared. An engine that has none refuses {@code create_backup} and a restore.
 */
public interface BackupEngine {

    /** The object name's ending after the backup id, before {@code .enc} (PostgreSQL: Trove's {@code .tar.gz}). */
    String objectSuffix();

    /** Bytes of the database's data on disk now: what a backup starting now will hold, about. */
    long dataSize();

    /**
     * Starts a full backup of the running database: its tar stream, which ends in an IOException carrying the
     * tool's message if the tool fails. Closing it before its end stops the tool.
     */
    InputStream openFullBackup() throws IOException;

    /** Empties the data directory (the server is stopped): before a restore, and after a failed one. */
    void clearDataDirectory() throws IOException;

    /** Extracts {@code tar} (what {@link #openFullBackup} produced) into the empty data directory. */
    void restore(InputStream tar) throws IOException;
}
