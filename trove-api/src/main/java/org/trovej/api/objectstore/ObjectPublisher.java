package org.trovej.api.objectstore;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an object in place whole or not at all: its file is written under the store's upload directory and
 * renamed onto the object's name only once complete, synced, and accepted by the writer (ETag checked); any
 * failure removes it. Renames within one file system are atomic, so of two PUTs of one name the last rename
 * wins and a reader sees one or the other.
 */
final class ObjectPublisher {

    private static final Logger log = LoggerFactory.getLogger(ObjectPublisher.class);
    private static final int BUFFER = LocalObjectStore.BUFFER;

    private final StoreDirectory directory;

    ObjectPublisher(StoreDirectory directory) {
        this.directory = directory;
    }

    /** Writes an upload file (data, then record) and renames it onto {@code target}; removes it on any failure. */
    ObjectRecord publish(Path target, Upload upload) {
        Path part = directory.newUpload();
        try {
            ObjectRecord record;
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
                record = upload.write(out);
                ObjectFile.writeRecord(out, record);
                out.flush();
                // a backup reported complete must survive a power cut
                channel.force(true);
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                // the container was deleted while the body streamed
                throw StoreException.notFound();
            }
            syncDirectory(target.getParent());
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                log.warn("Could not remove the upload file {}: {}", part, e.toString());
            }
        }
    }

    /** Makes the rename itself durable: an object whose PUT was answered 201 is there after a power cut. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the data itself is synced already
            log.debug("Could not sync {}: {}", dir, e.toString());
        }
    }

    @FunctionalInterface
    interface Upload {
        ObjectRecord write(OutputStream out) throws IOException;
    }

    /** Copies the client's body; a failure to read it (the client went away) is Swift's 499. */
    static long stream(InputStream body, OutputStream out, MessageDigest md5) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        while (true) {
            int n;
            try {
                n = body.read(buffer);
            } catch (IOException e) {
                throw new StoreException(499, "Client Disconnect");
            }
            if (n < 0) {
                return total;
            }
            md5.update(buffer, 0, n);
            out.write(buffer, 0, n);
            total += n;
        }
    }
}
