package org.trovej.guestagent.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Counts the bytes that flow through it and computes their SHA-256 and MD5 on the way: the two checksums a backup
 * carries (MD5 is Swift's ETag and Trove's {@code checksum}; SHA-256 travels in the object's metadata). It also
 * keeps the first failure of the stream below, so that a pipeline whose consumer (an HTTP client) wraps errors
 * can still say what really went wrong (e.g. the backup tool's own message). {@link #counting} only counts and
 * keeps the failure: for the uncompressed source, whose digests nobody uses and would cost as much CPU as gzip.
 */
final class DigestingInputStream extends FilterInputStream {

    /** Both null when only counting. */
    private final MessageDigest sha256;
    private final MessageDigest md5;
    private long count;
    private boolean ended;
    private volatile IOException failure;

    DigestingInputStream(InputStream in) {
        this(in, true, true);
    }

    private DigestingInputStream(InputStream in, boolean sha256, boolean md5) {
        super(in);
        this.sha256 = sha256 ? digest("SHA-256") : null;
        this.md5 = md5 ? digest("MD5") : null;
    }

    /** Counts and keeps the first failure, without digests ({@link #sha256Hex} and {@link #md5Hex} refuse). */
    static DigestingInputStream counting(InputStream in) {
        return new DigestingInputStream(in, false, false);
    }

    /** Counts and digests SHA-256 only ({@link #md5Hex} refuses): for a stream whose MD5 is taken elsewhere. */
    static DigestingInputStream sha256Only(InputStream in) {
        return new DigestingInputStream(in, true, false);
    }

    @Override
    public int read() throws IOException {
        int b = guarded(() -> in.read());
        if (b < 0) {
            ended = true;
        } else {
            if (sha256 != null) {
                sha256.update((byte) b);
            }
            if (md5 != null) {
                md5.update((byte) b);
            }
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = guarded(() -> in.read(b, off, len));
        if (n < 0) {
            ended = true;
        } else if (n > 0) {
            if (sha256 != null) {
                sha256.update(b, off, n);
            }
            if (md5 != null) {
                md5.update(b, off, n);
            }
            count += n;
        }
        return n;
    }

    /** Skipped bytes must be digested too: skip reads. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what is left, so the digests cover the whole stream (a consumer may stop before its end). */
    void drain() throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (read(buffer, 0, buffer.length) >= 0) {
            // digesting
        }
    }

    boolean ended() {
        return ended;
    }

    long count() {
        return count;
    }

    /** The first I/O failure of the stream below, or null. */
    IOException failure() {
        return failure;
    }

    /** Hex digests of what was read; call once the stream has ended. */
    String sha256Hex() {
        return HexFormat.of().formatHex(digesting(sha256).digest());
    }

    String md5Hex() {
        return HexFormat.of().formatHex(digesting(md5).digest());
    }

    private static MessageDigest digesting(MessageDigest digest) {
        if (digest == null) {
            throw new IllegalStateException("a counting stream has no digests");
        }
        return digest;
    }

    private interface Read {
        int run() throws IOException;
    }

    private int guarded(Read read) throws IOException {
        try {
            return read.run();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
            throw e;
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
