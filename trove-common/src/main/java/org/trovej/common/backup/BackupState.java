package org.trovej.common.backup;

/**
 * A backup's {@code state} column, with Trove's names (trove/backup/state.py). A backup is running while it is
 * NEW, BUILDING or SAVING: the instance then shows status BACKUP and takes no other action.
 */
public enum BackupState {
    NEW, BUILDING, SAVING, COMPLETED, FAILED, DELETE_FAILED, RESTORED;

    public boolean running() {
        return this == NEW || this == BUILDING || this == SAVING;
    }

    /** The state as stored and shown; null for a null or unknown text. */
    public static BackupState parse(String text) {
        if (text == null) {
            return null;
        }
        for (BackupState state : values()) {
            if (state.name().equals(text)) {
                return state;
            }
        }
        return null;
    }
}
