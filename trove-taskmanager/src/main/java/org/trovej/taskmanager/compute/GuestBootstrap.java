package org.trovej.taskmanager.compute;

/**
 * What a guest agent must be told at boot (Trove injects it as {@code guest_info.conf} and
 * {@code trove-guestagent.conf}); each back end delivers it its own way. Holds the instance's RPC key, the
 * broker credentials and the backup encryption key: {@link #toString()} leaves them out.
 *
 * @param datastoreVersion the datastore version's name ({@code guest_info.conf}'s {@code datastore_version})
 * @param version          the datastore version's version number (e.g. {@code 15.4})
 * @param instanceKey      the per-instance RPC key; null when secure messaging is off
 * @param transportUrl     oslo's {@code transport_url} (rabbit://user:password@host:port/vhost)
 * @param backupEncryptionKey Trove's {@code backup_encryption_key}, or null: backups unencrypted
 * @param backupCompression   {@code backup_compression} ({@code zstd}, {@code gzip}), or null: the guest's default
 */
public record GuestBootstrap(String guestId, String tenantId, String datastoreManager, String datastoreVersion,
                             String version, String instanceKey, String transportUrl, String controlExchange,
                             String conductorQueue, String backupEncryptionKey, String backupCompression) {

    /** A guest left to its default backup compression. */
    public GuestBootstrap(String guestId, String tenantId, String datastoreManager, String datastoreVersion,
                          String version, String instanceKey, String transportUrl, String controlExchange,
                          String conductorQueue, String backupEncryptionKey) {
        this(guestId, tenantId, datastoreManager, datastoreVersion, version, instanceKey, transportUrl,
                controlExchange, conductorQueue, backupEncryptionKey, null);
    }

    /** A guest told no backup encryption key. */
    public GuestBootstrap(String guestId, String tenantId, String datastoreManager, String datastoreVersion,
                          String version, String instanceKey, String transportUrl, String controlExchange,
                          String conductorQueue) {
        this(guestId, tenantId, datastoreManager, datastoreVersion, version, instanceKey, transportUrl,
                controlExchange, conductorQueue, null, null);
    }

    @Override
    public String toString() {
        return "GuestBootstrap[guestId=" + guestId + ", datastore=" + datastoreManager + " " + datastoreVersion + "]";
    }
}
