package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream whose work is done in blocks ({@link #read(byte[], int, int)}): the pipeline's stages never read byte by
 * byte, so the single-byte read only goes through the block read.
 */
abstract class BulkInputStream extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
