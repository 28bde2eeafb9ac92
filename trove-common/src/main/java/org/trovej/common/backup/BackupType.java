package org.trovej.common.backup;

/** Trove's {@code backup_type} values (trove/common/constants.py): what the guest records and restores from. */
public final class BackupType {

    public static final String FULL = "full";
    public static final String INCREMENTAL = "incremental";

    /** Trove's {@code backup_swift_container} default. */
    public static final String DEFAULT_CONTAINER = "database_backups";

    private BackupType() {
    }
}
