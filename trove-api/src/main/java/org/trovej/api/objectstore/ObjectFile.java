package org.trovej.api.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * One file per object: its bytes, then its {@link ObjectRecord} as JSON, then the JSON's length and a magic
 * trailer. Bytes and metadata in one file so that one rename publishes both: two PUTs of the same name can only
 * replace each other whole (the last rename wins), never pair one's bytes with the other's ETag. A reader opens
 * the file once and reads both from that open file, so a PUT replacing it meanwhile does not tear a GET either.
 */
final class ObjectFile {

    private static final byte[] MAGIC = "TJOBJ001".getBytes(StandardCharsets.US_ASCII);
    private static final int TRAILER = Long.BYTES + MAGIC.length;
    private static final int MAX_RECORD = 1 << 20;
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    private ObjectFile() {
    }

    /** Appends the record after the data already written to {@code out}. */
    static void writeRecord(OutputStream out, ObjectRecord record) throws IOException {
        byte[] json = JSON.writeValueAsBytes(record);
        out.write(json);
        out.write(ByteBuffer.allocate(Long.BYTES).putLong(json.length).array());
        out.write(MAGIC);
    }

    /** An object file opened for reading; its record was read from the same open file. */
    static Opened open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new Opened(readRecord(channel, file), channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static ObjectRecord read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readRecord(channel, file);
        }
    }

    private static ObjectRecord readRecord(FileChannel channel, Path file) throws IOException {
        long size = channel.size();
        if (size < TRAILER) {
            throw new IOException("not an object file: " + file);
        }
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
        readFully(channel, trailer, size - TRAILER);
        long length = trailer.getLong(0);
        if (!Arrays.equals(trailer.array(), Long.BYTES, TRAILER, MAGIC, 0, MAGIC.length) || length < 2
                || length > MAX_RECORD || length > size - TRAILER) {
            throw new IOException("not an object file: " + file);
        }
        ByteBuffer json = ByteBuffer.allocate((int) length);
        readFully(channel, json, size - TRAILER - length);
        ObjectRecord record = JSON.readValue(json.array(), ObjectRecord.class);
        if (record.dataBytes() != size - TRAILER - length) {
            throw new IOException("object file with a wrong data length: " + file);
        }
        return record;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("object file ended early");
            }
        }
    }

    /** An open object: the record, and the data as a stream of exactly {@code record.dataBytes()} bytes. */
    record Opened(ObjectRecord record, FileChannel channel) implements AutoCloseable {

        InputStream data() {
            try {
                channel.position(0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return new BoundedStream(Channels.newInputStream(channel), record.dataBytes());
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Reads at most {@code remaining} bytes, so the record after the data is never served as data. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the channel belongs to Opened
        }
    }
}
