package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip (RFC 1952) as a stream one reads from: the compressed form of {@code in}, produced as it is pulled. Java
 * only compresses gzip into an OutputStream; pulling lets the whole backup pipeline run on the reader's thread
 * (the HTTP client's), with no pipe, no extra thread and a fixed amount of memory.
 */
final class GzipCompressingInputStream extends BulkInputStream {

    /** ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=3 (Unix). */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private final InputStream in;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final byte[] input = new byte[64 * 1024];
    private byte[] pending = HEADER;
    private int pendingOffset;
    private long inputSize;
    private boolean inputEnded;
    private boolean trailerWritten;

    GzipCompressingInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (pending != null) {
                int n = Math.min(len, pending.length - pendingOffset);
                System.arraycopy(pending, pendingOffset, b, off, n);
                pendingOffset += n;
                if (pendingOffset == pending.length) {
                    pending = null;
                }
                return n;
            }
            if (trailerWritten) {
                return -1;
            }
            if (deflater.finished()) {
                pending = trailer();
                pendingOffset = 0;
                trailerWritten = true;
                continue;
            }
            if (deflater.needsInput() && !inputEnded) {
                int n = in.read(input);
                if (n < 0) {
                    inputEnded = true;
                    deflater.finish();
                } else if (n > 0) {
                    crc.update(input, 0, n);
                    inputSize += n;
                    deflater.setInput(input, 0, n);
                }
            }
            int produced = deflater.deflate(b, off, len);
            if (produced > 0) {
                return produced;
            }
        }
    }

    /** CRC-32 and the input size modulo 2^32, both little-endian. */
    private byte[] trailer() {
        long value = crc.getValue();
        long size = inputSize & 0xffffffffL;
        byte[] trailer = new byte[8];
        for (int i = 0; i < 4; i++) {
            trailer[i] = (byte) (value >>> (8 * i));
            trailer[4 + i] = (byte) (size >>> (8 * i));
        }
        return trailer;
    }

    @Override
    public void close() throws IOException {
        deflater.end();
        in.close();
    }
}
