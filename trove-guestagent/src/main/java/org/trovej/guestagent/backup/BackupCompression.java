package org.trovej.guestagent.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.ZstdInputStream;
import org.trovej.common.backup.BackupCompressionName;

/**
 * How a backup's stream is compressed before it is encrypted (option {@code backup_compression}).
 * <ul>
 *   <li>{@code zstd} (the default): Zstandard at level 1, in native code. On a 2-core machine it stores a
 *   PostgreSQL backup faster than {@code pg_basebackup} writes the same backup uncompressed to disk, and a
 *   little smaller than gzip; Trove's own guests cannot restore it.</li>
 *   <li>{@code gzip}: Trove's format (its guests pipe through {@code gzip}), for deployments where a Trove guest
 *   agent must restore TroveJ's backups; about six times the CPU.</li>
 * </ul>
 * A restore does not trust the object's name: it recognises either format by its first bytes, so backups made
 * by Trove's guests and by either setting restore alike.
 */
public enum BackupCompression {

    ZSTD(BackupCompressionName.ZSTD, ".zst"),
    GZIP(BackupCompressionName.GZIP, ".gz");

    /** zstd's level, wherever it runs (the pipeline, or a datastore's own tool). */
    public static final int ZSTD_LEVEL = 1;

    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private final BackupCompressionName name;
    private final String suffix;

    BackupCompression(BackupCompressionName name, String suffix) {
        this.name = name;
        this.suffix = suffix;
    }

    /** The option's value; null or blank: the default. */
    public static BackupCompression parse(String value) {
        BackupCompressionName name = BackupCompressionName.parse(value);
        for (BackupCompression c : values()) {
            if (c.name == name) {
                return c;
            }
        }
        throw new IllegalStateException("no compression for " + name);
    }

    public String option() {
        return name.option();
    }

    /** The object name's part for it, after the engine's archive suffix ({@code .tar.zst}, Trove's {@code .tar.gz}). */
    public String suffix() {
        return suffix;
    }

    /** The compressed form of {@code in}, produced as it is read. */
    public InputStream compressing(InputStream in) {
        return this == ZSTD ? new ZstdCompressingInputStream(in) : new GzipCompressingInputStream(in);
    }

    /** {@code compressed}'s original bytes, whichever of the formats it is in; anything else is refused. */
    public static InputStream decompressing(InputStream compressed) throws IOException {
        BufferedInputStream in = new BufferedInputStream(compressed, 64 * 1024);
        in.mark(ZSTD_MAGIC.length);
        byte[] head = in.readNBytes(ZSTD_MAGIC.length);
        in.reset();
        if (startsWith(head, ZSTD_MAGIC)) {
            return new ZstdInputStream(in);
        }
        if (startsWith(head, GZIP_MAGIC)) {
            return new GZIPInputStream(in, 64 * 1024);
        }
        throw new IOException("the backup is neither gzip nor zstd compressed (it begins with "
                + hex(head) + ")");
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.length() == 0 ? "nothing" : text.toString();
    }
}
