package org.trovej.guestagent.pitr;

import java.io.IOException;
import java.util.Optional;

/**
 * What an engine contributes to point-in-time restore's shipping: closing its current transaction log file and
 * naming the closed files not shipped yet ({@link LogBatch}). Storing, reporting and the schedule are shared
 * ({@link LogShipping}). PostgreSQL ships its archived WAL segments.
 */
public interface LogShipper {

    /**
     * Closes the log file being written, so that every transaction committed before the batch's
     * {@link LogBatch#restorableUntil} is in a closed file, and answers the closed files from the last shipped one
     * on (none: nothing was written since). Empty when there is nothing to ship from: no backup to continue from
     * yet, or the server is not a running source.
     */
    Optional<LogBatch> nextBatch() throws IOException;

    /** The batch is stored and the conductor has recorded it: the next batch starts after it. */
    void shipped(LogBatch batch) throws IOException;

    /** Shipping stopped: forget the last shipped file (what the engine kept for shipping may go). */
    void forget() throws IOException;
}
