package org.trovej.guestagent.backup;

import java.nio.file.Path;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.volume.VolumeSettings;

/**
 * {@code [DEFAULT]} options of backups, with Trove's names:
 * <ul>
 *   <li>{@code backup_encryption_key}: backups are encrypted with it (OpenSSL enc, AES-256-CBC) and objects named
 *   {@code .enc}; unset or empty: stored unencrypted. Never logged.</li>
 *   <li>{@code backup_segment_max_size}: the largest segment in bytes (default 2 GiB, Trove's)</li>
 *   <li>{@code backup_compression}: TroveJ's own, {@code zstd} (default) or {@code gzip} (Trove's format); see
 *   {@link BackupCompression}</li>
 * </ul>
 * Running backups are recorded in {@code <state_dir>/backups-<guest_id>/} (see {@link BackupMarkers}).
 */
public record BackupSettings(String encryptionKey, BackupCompression compression, long segmentMaxSize,
                             Path markerDir) {

    public static final long DEFAULT_SEGMENT_MAX_SIZE = 2L * 1024 * 1024 * 1024;

    public static BackupSettings from(GuestConfig config) {
        String size = config.text("backup_segment_max_size");
        long segmentMaxSize = DEFAULT_SEGMENT_MAX_SIZE;
        if (size != null) {
            try {
                segmentMaxSize = Long.parseLong(size);
            } catch (NumberFormatException e) {
                segmentMaxSize = -1;
            }
            if (segmentMaxSize <= 0) {
                throw new IllegalArgumentException("backup_segment_max_size must be a positive number of bytes, not '"
                        + size + "'");
            }
        }
        Path stateDir = VolumeSettings.from(config).stateDir();
        String guest = config.guestId() == null ? "unknown" : config.guestId();
        return new BackupSettings(config.text("backup_encryption_key"),
                BackupCompression.parse(config.text("backup_compression")), segmentMaxSize,
                stateDir.resolve("backups-" + guest));
    }

    /** An object's ending after the engine's archive suffix: the compression's, then {@code .enc} when encrypted. */
    public String objectSuffix(String archiveSuffix) {
        return archiveSuffix + compression.suffix() + (encryptionKey == null ? "" : ".enc");
    }

    @Override
    public String toString() {
        return "BackupSettings[encryption=" + (encryptionKey == null ? "off" : "on") + ", compression="
                + compression.option() + ", segmentMaxSize="
                + segmentMaxSize + ", markerDir=" + markerDir + "]";
    }
}
