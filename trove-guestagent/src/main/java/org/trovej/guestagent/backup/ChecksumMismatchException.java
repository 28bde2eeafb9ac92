package org.trovej.guestagent.backup;

import java.io.IOException;

/** A backup object's bytes are not the ones the backup recorded: nothing restored from it may be used. */
public final class ChecksumMismatchException extends IOException {

    public ChecksumMismatchException(String message) {
        super(message);
    }
}
