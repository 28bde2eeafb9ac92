package org.trovej.common.backup;

import java.util.Locale;

/**
 * The values of the guest option {@code backup_compression} (TroveJ's own; Trove always uses gzip), one definition
 * for the task manager that writes it into each guest's configuration and the guest that reads it.
 */
public enum BackupCompressionName {

    /** Zstandard, level 1: the default. */
    ZSTD,
    /** Trove's format: what a Trove guest agent can restore. */
    GZIP;

    /** The option's spelling. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code value} read from a configuration; null or blank: the default, zstd. */
    public static BackupCompressionName parse(String value) {
        if (value == null || value.isBlank()) {
            return ZSTD;
        }
        for (BackupCompressionName name : values()) {
            if (name.option().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return name;
            }
        }
        throw new IllegalArgumentException("backup_compression must be zstd or gzip, not '" + value + "'");
    }
}
