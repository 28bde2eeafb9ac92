package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One segment of the stored stream: at most {@code limit} bytes of {@code upstream}, with their own MD5 (what the
 * store's ETag of the segment must equal), also fed to the whole stream's MD5 when there is one yet (see
 * {@link #copyOfMd5}). Closing it leaves the upstream open for the next segment.
 */
final class SegmentInputStream extends BulkInputStream {

    private final PushbackInputStream upstream;
    private final long limit;
    private final MessageDigest md5 = DigestingInputStream.digest("MD5");
    private final MessageDigest wholeMd5;
    private long count;
    private boolean upstreamEnded;

    /** @param wholeMd5 the whole stream's MD5 to update as well; null for the first segment */
    SegmentInputStream(PushbackInputStream upstream, long limit, MessageDigest wholeMd5) {
        this.upstream = upstream;
        this.limit = limit;
        this.wholeMd5 = wholeMd5;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (count >= limit || upstreamEnded) {
            return -1;
        }
        int n = upstream.read(b, off, (int) Math.min(len, limit - count));
        if (n < 0) {
            upstreamEnded = true;
            return -1;
        }
        md5.update(b, off, n);
        if (wholeMd5 != null) {
            wholeMd5.update(b, off, n);
        }
        count += n;
        return n;
    }

    /** Whether bytes remain upstream after this segment (looks one byte ahead and puts it back). */
    boolean moreFollow() throws IOException {
        if (upstreamEnded) {
            return false;
        }
        int next = upstream.read();
        if (next < 0) {
            upstreamEnded = true;
            return false;
        }
        upstream.unread(next);
        return true;
    }

    long count() {
        return count;
    }

    /**
     * The segment's MD5 so far, to go on as the whole stream's: the first segment's bytes are the stream's first
     * bytes, so the stream's MD5 needs no pass of its own (and a one-segment backup, the usual one, is digested once).
     */
    MessageDigest copyOfMd5() {
        try {
            return (MessageDigest) md5.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("MD5 cannot be copied", e);
        }
    }

    String md5Hex() {
        return HexFormat.of().formatHex(md5.digest());
    }

    @Override
    public void close() {
        // the upstream goes on into the next segment
    }
}
