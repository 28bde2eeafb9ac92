package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One segment of the stored stream: at most {@code limit} bytes of {@code upstream}, with their own MD5 (what the
 * store's ETag of the segment must equal). Closing it leaves the upstream open for the next segment.
 */
final class SegmentInputStream extends BulkInputStream {

    private final PushbackInputStream upstream;
    private final long limit;
    private final MessageDigest md5 = DigestingInputStream.digest("MD5");
    private long count;
    private boolean upstreamEnded;

    SegmentInputStream(PushbackInputStream upstream, long limit) {
        this.upstream = upstream;
        this.limit = limit;
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

    String md5Hex() {
        return HexFormat.of().formatHex(md5.digest());
    }

    @Override
    public void close() {
        // the upstream goes on into the next segment
    }
}
