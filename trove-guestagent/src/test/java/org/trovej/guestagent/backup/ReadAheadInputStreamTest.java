package org.trovej.guestagent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** The two-thread split of the backup and restore pipelines: same bytes, failures in order, no thread left. */
class ReadAheadInputStreamTest {

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static boolean threadRunning(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void theReaderGetsExactlyTheUpstreamsBytesInOddSizedReads() throws Exception {
        byte[] input = random(3 * 256 * 1024 + 12_345);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReadAheadInputStream ahead = new ReadAheadInputStream(new ByteArrayInputStream(input), "t-bytes")) {
            byte[] buffer = new byte[7777];
            int n;
            while ((n = ahead.read(buffer, 0, buffer.length)) >= 0) {
                out.write(buffer, 0, n);
            }
            assertThat(ahead.read()).isEqualTo(-1);
        }
        assertThat(out.toByteArray()).isEqualTo(input);
        assertThat(threadRunning("t-bytes")).isFalse();
    }

    @Test
    void theUpstreamsFailureComesAfterTheBytesBeforeItAndStays() throws Exception {
        byte[] before = random(600_000);
        InputStream failing = new InputStream() {
            private final InputStream data = new ByteArrayInputStream(before);

            @Override
            public int read() throws IOException {
                int b = data.read();
                if (b < 0) {
                    throw new IOException("pg_basebackup failed (exit 1): no space left");
                }
                return b;
            }
        };
        try (ReadAheadInputStream ahead = new ReadAheadInputStream(failing, "t-fail")) {
            assertThat(ahead.readNBytes(before.length)).isEqualTo(before);
            assertThatThrownBy(ahead::read).isInstanceOf(IOException.class)
                    .hasMessage("pg_basebackup failed (exit 1): no space left");
            assertThatThrownBy(ahead::read).hasMessage("pg_basebackup failed (exit 1): no space left");
            assertThat(ahead.drain()).hasMessage("pg_basebackup failed (exit 1): no space left");
        }
    }

    @Test
    void drainReadsToTheEndWithoutThrowing() throws Exception {
        AtomicBoolean endReached = new AtomicBoolean();
        ByteArrayInputStream data = new ByteArrayInputStream(random(2_000_000));
        InputStream upstream = new InputStream() {
            @Override
            public int read() {
                return data.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = data.read(b, off, len);
                if (n < 0) {
                    endReached.set(true);
                }
                return n;
            }
        };
        try (ReadAheadInputStream ahead = new ReadAheadInputStream(upstream, "t-drain")) {
            ahead.readNBytes(10);
            assertThat(ahead.drain()).isNull();
        }
        assertThat(endReached).isTrue();
    }

    @Test
    void closingEarlyStopsTheThreadAndThenClosesTheUpstream() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream endless = new EndlessInput() {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        ReadAheadInputStream ahead = new ReadAheadInputStream(endless, "t-close");
        assertThat(ahead.readNBytes(1000)).hasSize(1000);

        ahead.close();

        assertThat(threadRunning("t-close")).isFalse();
        assertThat(closed).isTrue();
        assertThatThrownBy(ahead::read).hasMessage("stream closed");
    }
}
