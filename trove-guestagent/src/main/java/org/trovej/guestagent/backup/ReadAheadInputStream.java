package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Splits a stream pipeline across two threads: a thread of its own reads {@code upstream} (and so runs whatever
 * that stream does: a tool's pipe and compression, or a download, its digests and decryption) into a few
 * recycled chunks, while the reader goes on with the next stages. On two cores that halves a backup's or a
 * restore's wall time, where one thread would leave the other core to the tool alone.
 * <p>
 * The upstream's failure reaches the reader after the bytes read before it, as it was thrown. Once the reader
 * has seen the end or a failure, the thread has stopped and no longer touches {@code upstream}. {@link #close}
 * stops the thread and closes {@code upstream}; memory is {@code chunks} × {@code chunkSize} whatever the size.
 */
final class ReadAheadInputStream extends BulkInputStream {

    private static final int CHUNK_SIZE = 256 * 1024;
    private static final int CHUNKS = 4;
    private static final long JOIN_MILLIS = 10_000;

    /** A chunk, the end ({@code length} -1) or the upstream's failure. */
    private record Item(byte[] data, int length, Throwable failure) {
    }

    private final InputStream upstream;
    private final BlockingQueue<Item> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread worker;
    private volatile boolean closed;
    private Item current;
    private int position;
    private boolean ended;
    private Throwable failure;

    ReadAheadInputStream(InputStream upstream, String threadName) {
        this.upstream = upstream;
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK_SIZE]);
        }
        worker = new Thread(this::pump, threadName);
        worker.setDaemon(true);
        worker.start();
    }

    private void pump() {
        while (true) {
            byte[] chunk = take(free);
            if (chunk == null) {
                return;
            }
            // a chunk is filled as far as it goes, so that the bytes before a failure still come first
            int n = 0;
            Throwable failure = null;
            try {
                while (n < chunk.length) {
                    int read = upstream.read(chunk, n, chunk.length - n);
                    if (read < 0) {
                        break;
                    }
                    n += read;
                }
            } catch (Throwable e) {
                failure = e;
            }
            if (n > 0 && !offer(new Item(chunk, n, null))) {
                return;
            }
            if (failure != null || n < chunk.length) {
                offer(new Item(null, -1, failure));
                return;
            }
        }
    }

    /** The next free chunk, or null once closed. */
    private byte[] take(BlockingQueue<byte[]> queue) {
        try {
            while (!closed) {
                byte[] chunk = queue.poll(100, TimeUnit.MILLISECONDS);
                if (chunk != null) {
                    return chunk;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private boolean offer(Item item) {
        try {
            while (!closed) {
                if (filled.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (current == null || position == current.length()) {
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.data(), position, b, off, n);
        position += n;
        return n;
    }

    /** Moves to the next chunk: false at the end; the upstream's failure is thrown, again on every later read. */
    private boolean next() throws IOException {
        if (failure != null) {
            throw rethrow(failure);
        }
        if (ended) {
            return false;
        }
        if (closed) {
            throw new IOException("stream closed");
        }
        if (current != null) {
            free.offer(current.data());
            current = null;
        }
        Item item;
        try {
            item = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
        if (item.failure() != null) {
            failure = item.failure();
            throw rethrow(failure);
        }
        if (item.length() < 0) {
            ended = true;
            return false;
        }
        current = item;
        position = 0;
        return true;
    }

    private static IOException rethrow(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof UncheckedIOException unchecked) {
            return unchecked.getCause();
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IOException(failure.getMessage(), failure);
    }

    /**
     * Reads to the end, keeping nothing: the upstream's failure, if there was one, is returned rather than thrown.
     * Afterwards the thread has stopped.
     */
    Throwable drain() {
        try {
            while (next()) {
                position = current.length();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    /**
     * Stops the thread, then closes {@code upstream}: the thread notices within one chunk of its current read
     * (a tool's output goes on flowing, a download has its own timeouts), and only then is {@code upstream}
     * closed, so that no stage is closed under a thread still in it.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            worker.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        upstream.close();
    }
}
