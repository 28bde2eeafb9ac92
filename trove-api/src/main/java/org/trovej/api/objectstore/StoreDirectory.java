package org.trovej.api.objectstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the store's directory layout:
 * <pre>
 *   &lt;dir&gt;/&lt;project&gt;/&lt;container&gt;/&lt;object&gt;.obj   an object: its bytes and its metadata ({@link ObjectFile})
 *   &lt;dir&gt;/.tmp/&lt;uuid&gt;.part                         uploads in progress, renamed into place when complete
 * </pre>
 * Container and object names are percent-encoded into one file name each (everything but
 * {@code A-Z a-z 0-9 - _ . ~}, so {@code /} never reaches the file system), and every object file ends in
 * {@code .obj}: no name can be {@code .}, {@code ..}, a path, {@code .tmp}, or another object's file. Projects
 * are {@code [A-Za-z0-9_-]} ({@link StorePath}), so no account can be {@code .tmp} either.
 */
public class StoreDirectory {

    private static final Logger log = LoggerFactory.getLogger(StoreDirectory.class);
    static final String OBJECT_SUFFIX = ".obj";
    private static final int MAX_FILE_NAME = 255;
    /** Uploads older than this at start-up were cut off by a crash: no PUT takes a day to stream. */
    private static final Duration STALE_UPLOAD = Duration.ofDays(1);

    private final Path root;
    private final Path uploads;

    public StoreDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.uploads = this.root.resolve(".tmp");
        try {
            Files.createDirectories(uploads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the object store's directory " + this.root, e);
        }
        removeStaleUploads();
    }

    public Path root() {
        return root;
    }

    Path account(String project) {
        return root.resolve(project);
    }

    Path container(String project, String container) {
        return account(project).resolve(encode(container));
    }

    Path object(String project, String container, String object) {
        String name = encode(object) + OBJECT_SUFFIX;
        if (name.length() > MAX_FILE_NAME) {
            throw StoreException.badRequest("Object name too long for this store (at most " + MAX_FILE_NAME
                    + " bytes once percent-encoded)");
        }
        return container(project, container).resolve(name);
    }

    /** The object name an entry of a container directory holds, or null when it is not an object file. */
    static String objectName(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(OBJECT_SUFFIX)) {
            return null;
        }
        try {
            return StorePath.decode(name.substring(0, name.length() - OBJECT_SUFFIX.length()));
        } catch (StoreException e) {
            return null;
        }
    }

    /** The container name a directory of an account holds, or null when it is none. */
    static String containerName(Path dir) {
        try {
            String name = StorePath.decode(dir.getFileName().toString());
            StorePath.checkContainer(name);
            return name;
        } catch (StoreException e) {
            return null;
        }
    }

    /** A new upload file, in the same file system as the objects so that renaming it into place is atomic. */
    Path newUpload() {
        return uploads.resolve(UUID.randomUUID() + ".part");
    }

    static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private void removeStaleUploads() {
        Instant before = Instant.now().minus(STALE_UPLOAD);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(uploads, "*.part")) {
            for (Path part : parts) {
                FileTime modified = Files.getLastModifiedTime(part);
                if (modified.toInstant().isBefore(before)) {
                    Files.deleteIfExists(part);
                }
            }
        } catch (IOException e) {
            log.warn("Could not clean old uploads in {}: {}", uploads, e.toString());
        }
    }
}
