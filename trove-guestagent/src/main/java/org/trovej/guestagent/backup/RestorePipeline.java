package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way back, for every engine: the object's bytes → SHA-256 and MD5 as they pass → decrypt (objects named
 * {@code *.enc}) → zstd or gzip, recognised by the bytes ({@link BackupCompression#decompressing}) → the engine's
 * restore. Before the caller may start the database, both digests are
 * compared with what the backup recorded: the MD5 with the backup's {@code checksum}, the SHA-256 with the
 * object's {@code Sha256} metadata. A mismatch, or any failure where the bytes turn out not to match, is a
 * {@link ChecksumMismatchException}: the caller must throw the restored data away.
 */
public final class RestorePipeline {

    private static final Logger log = LoggerFactory.getLogger(RestorePipeline.class);

    /** What the engine does with the restored tar stream (e.g. extract it into the empty data directory). */
    @FunctionalInterface
    public interface RestoreTarget {
        void restore(InputStream tar) throws IOException;
    }

    private final String encryptionKey;

    /** @param encryptionKey null when none is configured (an encrypted backup then cannot be restored) */
    public RestorePipeline(String encryptionKey) {
        this.encryptionKey = encryptionKey;
    }

    /**
     * @param backupId    named in the messages
     * @param object      the object's name: {@code .enc} says it is encrypted (Trove's rule)
     * @param expectedMd5 the backup's recorded checksum; null: not checked
     */
    public void restore(String backupId, BackupStore store, String object, String expectedMd5, RestoreTarget target)
            throws IOException {
        boolean encrypted = object.endsWith(".enc");
        if (encrypted && encryptionKey == null) {
            throw new IOException("Backup " + backupId + " is encrypted but no backup_encryption_key is configured");
        }
        BackupStore.StoredObject stored = store.open(object);
        String expectedSha256 = stored.metadata().get(BackupPipeline.META_SHA256.toLowerCase(java.util.Locale.ROOT));
        if (expectedSha256 == null) {
            log.warn("Backup {} has no Sha256 metadata: only its MD5 checksum is verified", backupId);
        }
        DigestingInputStream digests = new DigestingInputStream(stored.body());
        try (InputStream body = digests) {
            IOException failure = null;
            ReadAheadInputStream downloaded = null;
            try {
                InputStream plain = encrypted ? OpensslEnc.decrypting(digests, encryptionKey) : digests;
                // one thread downloads, digests and decrypts; this one decompresses and feeds the engine's tool
                downloaded = new ReadAheadInputStream(plain, "restore-download-" + backupId);
                target.restore(BackupCompression.decompressing(downloaded));
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            // the consumer may stop early (at tar's end-of-archive, or at an error): digest the rest too; once the
            // read-ahead has ended or failed its thread is done with the digests, and the rest is read from here
            if (downloaded != null) {
                downloaded.drain();
            }
            try {
                digests.drain();
            } catch (IOException e) {
                throw failure != null ? failure : e;
            } finally {
                // every stage is done: closing stops nothing now, but frees what they hold (the openssl command's
                // pipes and message file)
                closeQuietly(downloaded);
            }
            verify(backupId, digests, expectedMd5, expectedSha256);
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static void closeQuietly(InputStream stream) {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            log.debug("closing the restore's streams: {}", e.getMessage());
        }
    }

    private static void verify(String backupId, DigestingInputStream digests, String expectedMd5,
                               String expectedSha256) throws ChecksumMismatchException {
        String md5 = digests.md5Hex();
        String sha256 = digests.sha256Hex();
        if (expectedMd5 != null && !expectedMd5.equalsIgnoreCase(md5)) {
            throw new ChecksumMismatchException("Backup " + backupId + " failed its checksum: MD5 of the stored "
                    + "bytes is " + md5 + ", the backup recorded " + expectedMd5);
        }
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha256)) {
            throw new ChecksumMismatchException("Backup " + backupId + " failed its checksum: SHA-256 of the "
                    + "stored bytes is " + sha256 + ", the object's metadata says " + expectedSha256);
        }
        log.info("Backup {}: {} bytes, MD5 and SHA-256 verified", backupId, digests.count());
    }
}
