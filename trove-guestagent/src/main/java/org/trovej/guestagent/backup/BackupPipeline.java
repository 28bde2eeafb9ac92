package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.objectstore.SloSegment;

/**
 * The one way every engine's backup is stored: the engine's tar stream → zstd or gzip ({@link BackupCompression})
 * → OpenSSL-enc AES-256-CBC (when a
 * key is configured) → SHA-256 and MD5 of the bytes as they pass → segments of at most {@code segmentMaxSize}
 * bytes, each written to the store as it is produced; then the segments become the backup object (one segment:
 * renamed; more: a Static Large Object manifest) carrying the checksums in its metadata.
 * <p>
 * Everything is pulled by the store's reader, so memory stays at a few buffers whatever the database's size and
 * nothing is staged on disk. On failure the caller deletes what was written ({@link BackupStore#deleteBackup}).
 */
public final class BackupPipeline {

    public static final String META_SHA256 = "Sha256";
    public static final String META_MD5 = "Md5";

    private static final Logger log = LoggerFactory.getLogger(BackupPipeline.class);

    private final BackupStore store;
    private final BackupCompression compression;
    private final String encryptionKey;
    private final long segmentMaxSize;

    /**
     * @param encryptionKey  null: stored unencrypted
     * @param segmentMaxSize the largest segment in bytes (Trove's {@code backup_segment_max_size})
     */
    public BackupPipeline(BackupStore store, BackupCompression compression, String encryptionKey,
                          long segmentMaxSize) {
        if (segmentMaxSize <= 0) {
            throw new IllegalArgumentException("backup_segment_max_size must be positive");
        }
        this.store = store;
        this.compression = compression;
        this.encryptionKey = encryptionKey;
        this.segmentMaxSize = segmentMaxSize;
    }

    /** What was stored. */
    public record Stored(String location, String md5, String sha256, long storedBytes, long sourceBytes,
                         int segments) {
    }

    /** The segment names: {@code <object>_00000001}, ... (Trove's). */
    public static String segmentName(String object, int index) {
        return String.format("%s_%08d", object, index);
    }

    /**
     * Stores {@code source} (the engine's tar stream, read to its end and closed) as {@code object}, with
     * {@code metadata} (datastore, version, type) plus the checksums.
     */
    public Stored store(InputStream source, String object, Map<String, String> metadata) throws IOException {
        return store(source, object, () -> metadata);
    }

    /** The same, {@code metadata} asked for once the source has ended (an engine knows some facts only then). */
    public Stored store(InputStream source, String object, java.util.function.Supplier<Map<String, String>> metadata)
            throws IOException {
        return store(source, false, object, metadata);
    }

    /**
     * The same for a source that may already be compressed as this pipeline's compression by the engine's tool
     * ({@code alreadyCompressed}): it is then stored as it is.
     */
    public Stored store(InputStream source, boolean alreadyCompressed, String object,
                        java.util.function.Supplier<Map<String, String>> metadata) throws IOException {
        // the source is only counted: its digests would cost more CPU than compressing it and are not recorded
        DigestingInputStream sourceCount = DigestingInputStream.counting(source);
        // one thread reads the tool and compresses, this one encrypts, digests and uploads
        InputStream compressed = new ReadAheadInputStream(alreadyCompressed ? sourceCount
                : compression.compressing(sourceCount), "backup-compress-" + object);
        InputStream sealed = encryptionKey == null ? compressed : OpensslEnc.encrypting(compressed, encryptionKey);
        DigestingInputStream stored = DigestingInputStream.sha256Only(sealed);
        PushbackInputStream upstream = new PushbackInputStream(stored, 1);
        List<SloSegment> segments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        MessageDigest wholeMd5 = null; // the first segment's own MD5 goes on as the stream's
        try (sealed) {
            boolean more = true;
            while (more) {
                String name = segmentName(object, segments.size() + 1);
                SegmentInputStream segment = new SegmentInputStream(upstream, segmentMaxSize, wholeMd5);
                String etag;
                try {
                    etag = store.putSegment(name, segment);
                } catch (IOException | RuntimeException e) {
                    throw rootCause(e, sourceCount);
                }
                if (sourceCount.failure() != null) {
                    throw sourceCount.failure();
                }
                if (wholeMd5 == null) {
                    wholeMd5 = segment.copyOfMd5();
                }
                String md5 = segment.md5Hex();
                if (!md5.equalsIgnoreCase(etag)) {
                    throw new IOException("the store's ETag of " + name + " (" + etag + ") is not the MD5 of the "
                            + "bytes sent (" + md5 + ")");
                }
                segments.add(SloSegment.of(store.container(), name, md5, segment.count()));
                names.add(name);
                log.info("Backup segment {} stored ({} bytes)", name, segment.count());
                more = segment.moreFollow();
            }
        }
        if (!stored.ended()) {
            throw new IOException("the backup stream did not end");
        }
        String md5 = HexFormat.of().formatHex(wholeMd5.digest());
        String sha256 = stored.sha256Hex();
        Map<String, String> allMetadata = new LinkedHashMap<>(metadata.get());
        allMetadata.put(META_SHA256, sha256);
        allMetadata.put(META_MD5, md5);
        if (segments.size() == 1) {
            store.promoteSegment(names.get(0), object, allMetadata);
        } else {
            store.putManifest(object, segments, allMetadata);
        }
        return new Stored(store.location(object), md5, sha256, stored.count(), sourceCount.count(), segments.size());
    }

    /** The source's own failure (the backup tool's message) rather than the store client's wrapping of it. */
    private static IOException rootCause(Exception e, DigestingInputStream source) {
        if (source.failure() != null) {
            return source.failure();
        }
        return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
}
