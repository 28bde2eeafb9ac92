package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;

/**
 * Zstandard as a stream one reads from, like {@link GzipCompressingInputStream}: the pipeline stays pulled by the
 * store's reader, with fixed buffers. Level 1, on the calling thread: the pipeline's {@link ReadAheadInputStream}
 * already gives compression a thread of its own (a zstd worker thread measured slower here: one more copy of
 * every byte). The frame carries zstd's content checksum as well.
 */
final class ZstdCompressingInputStream extends BulkInputStream {

    static final int LEVEL = BackupCompression.ZSTD_LEVEL;

    private final InputStream in;
    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private final ByteBuffer input = ByteBuffer.allocateDirect(128 * 1024);
    private final ByteBuffer output = ByteBuffer.allocateDirect(128 * 1024);
    private final byte[] transfer = new byte[128 * 1024];
    private boolean inputEnded;
    private boolean finished;

    ZstdCompressingInputStream(InputStream in) {
        this.in = in;
        ctx.setLevel(LEVEL);
        ctx.setChecksum(true);
        ctx.setWorkers(0);
        input.flip();
        output.flip();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!output.hasRemaining()) {
            if (finished) {
                return -1;
            }
            compressMore();
        }
        int n = Math.min(len, output.remaining());
        output.get(b, off, n);
        return n;
    }

    /** One step: more input if zstd took all it had, then whatever zstd gives back into the output buffer. */
    private void compressMore() throws IOException {
        if (!input.hasRemaining() && !inputEnded) {
            int n = in.read(transfer);
            input.clear();
            if (n < 0) {
                inputEnded = true;
            } else {
                input.put(transfer, 0, n);
            }
            input.flip();
        }
        output.clear();
        boolean done = ctx.compressDirectByteBufferStream(output, input,
                inputEnded ? EndDirective.END : EndDirective.CONTINUE);
        output.flip();
        if (inputEnded && done) {
            finished = true;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            ctx.close();
        }
    }
}
