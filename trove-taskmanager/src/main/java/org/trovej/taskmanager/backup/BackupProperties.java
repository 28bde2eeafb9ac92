package org.trovej.taskmanager.backup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.trovej.common.backup.BackupCompressionName;

/**
 * The task manager's backup settings, under {@code trovej.backup}.
 *
 * @param timeout         a backup still running this long after it was requested becomes FAILED (a guest that
 *                        hangs without dying); generous, because a large database takes hours
 * @param tokenTtl        how long the object store grant handed to a guest holds: the whole of a backup's upload
 *                        or a restore's download; default the timeout plus an hour
 * @param heartbeatExpiry a guest silent this long during a backup is taken for dead (Trove's
 *                        {@code agent_heartbeat_expiry}, 90 s)
 * @param pollInterval    how often running backups are looked at
 * @param encryptionKey   Trove's {@code backup_encryption_key}, handed to every new guest; unset: on the local back
 *                        end a key generated once and kept in its state directory, elsewhere none (no encryption)
 * @param compression     how guests compress backups ({@code backup_compression}): {@code zstd} (default) or
 *                        {@code gzip}, Trove's format, for deployments where Trove's own guests restore backups
 */
@ConfigurationProperties(prefix = "trovej.backup")
public record BackupProperties(Duration timeout, Duration tokenTtl, Duration heartbeatExpiry, Duration pollInterval,
                               String encryptionKey, BackupCompressionName compression) {

    public BackupProperties {
        timeout = timeout == null ? Duration.ofHours(24) : timeout;
        tokenTtl = tokenTtl == null ? timeout.plusHours(1) : tokenTtl;
        heartbeatExpiry = heartbeatExpiry == null ? Duration.ofSeconds(90) : heartbeatExpiry;
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        encryptionKey = encryptionKey == null || encryptionKey.isBlank() ? null : encryptionKey;
        compression = compression == null ? BackupCompressionName.ZSTD : compression;
        if (encryptionKey != null && encryptionKey.contains("\n")) {
            throw new IllegalArgumentException("trovej.backup.encryption-key may not span lines");
        }
    }

    @Override
    public String toString() {
        // the key is a secret: never printed
        return "BackupProperties[timeout=" + timeout + ", tokenTtl=" + tokenTtl + ", heartbeatExpiry="
                + heartbeatExpiry + ", encryptionKey=" + (encryptionKey == null ? "unset" : "set") + ", compression="
                + compression.option() + "]";
    }
}
