package org.trovej.api.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local object store's operations over its {@link StoreDirectory}. Bodies are streamed through a 64 KiB
 * buffer into an upload file that is renamed into place only when it is complete and its ETag checked: an
 * upload that breaks off, or whose ETag is not the client's, leaves nothing behind, and a reader sees the old
 * object or the new one, never a mixture.
 */
public class LocalObjectStore {

    private static final Logger log = LoggerFactory.getLogger(LocalObjectStore.class);
    static final int BUFFER = 64 * 1024;
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final StoreDirectory directory;
    private final ObjectPublisher publisher;
    private final Clock clock;

    public LocalObjectStore(StoreDirectory directory, Clock clock) {
        this.directory = directory;
        this.publisher = new ObjectPublisher(directory);
        this.clock = clock;
    }

    /** Creates the container; false when it was there already. */
    boolean createContainer(String project, String container) {
        Path path = directory.container(project, container);
        try {
            Files.createDirectories(path.getParent());
            Files.createDirectory(path);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The account's containers in name order (none when the account has never had one). */
    List<String> containers(String project) {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(directory.account(project), Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = StoreDirectory.containerName(dir);
                if (name != null) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(names);
    }

    /** Object count and bytes of the container. */
    ContainerStats stats(String project, String container) {
        long count = 0;
        long bytes = 0;
        for (String name : names(project, container)) {
            ObjectRecord record = readOrNull(project, container, name);
            if (record != null) {
                count++;
                bytes += record.bytes();
            }
        }
        return new ContainerStats(count, bytes);
    }

    record ContainerStats(long objects, long bytes) {
    }

    /** The objects (and, with a delimiter, pseudo-folders) a listing selects, in name order. */
    List<Entry> list(String project, String container, ContainerListing listing) {
        List<Entry> entries = new ArrayList<>();
        TreeSet<String> names = names(project, container);
        String lastSubdir = null;
        for (String name : names) {
            if (entries.size() >= listing.limit()) {
                break;
            }
            if (!listing.includes(name)) {
                continue;
            }
            String subdir = listing.subdir(name);
            if (subdir != null) {
                if (!subdir.equals(lastSubdir) && (listing.marker() == null || subdir.compareTo(listing.marker()) > 0)) {
                    entries.add(new Entry(subdir, null));
                }
                lastSubdir = subdir;
                continue;
            }
            ObjectRecord record = readOrNull(project, container, name);
            if (record != null) {
                entries.add(new Entry(null, record));
            }
        }
        return entries;
    }

    /** One line of a listing: an object, or a pseudo-folder ({@code subdir}). */
    record Entry(String subdir, ObjectRecord record) {

        String name() {
            return subdir != null ? subdir : record.name();
        }
    }

    void deleteContainer(String project, String container) {
        Path path = directory.container(project, container);
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            throw StoreException.notFound();
        } catch (DirectoryNotEmptyException e) {
            throw new StoreException(409, "There was a conflict when trying to complete your request.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stores {@code body} as the object.
     *
     * @param length       the announced Content-Length, or -1 (chunked)
     * @param expectedEtag the client's ETag header, or null
     */
    ObjectRecord put(String project, String container, String object, InputStream body, long length,
                     String expectedEtag, String contentType, Map<String, String> metadata) {
        requireContainer(project, container);
        Path target = directory.object(project, container, object);
        return publisher.publish(target, out -> {
            MessageDigest md5 = md5();
            long written = ObjectPublisher.stream(body, out, md5);
            if (length >= 0 && written != length) {
                throw new StoreException(499, "Client Disconnect");
            }
            String etag = HexFormat.of().formatHex(md5.digest());
            if (expectedEtag != null && !etag.equalsIgnoreCase(unquote(expectedEtag))) {
                throw new StoreException(422, "Unprocessable Entity");
            }
            return new ObjectRecord(object, written, written, etag, contentType(contentType), now(), metadata,
                    null);
        });
    }

    /** Swift's server-side copy ({@code X-Copy-From}): the source's bytes, its metadata updated by the new. */
    ObjectRecord copy(String project, String container, String object, String sourceContainer, String sourceObject,
                      String contentType, Map<String, String> metadata, StoreCaller caller) {
        requireContainer(project, container);
        Path target = directory.object(project, container, object);
        try (ObjectFile.Opened source = open(project, sourceContainer, sourceObject);
             InputStream content = content(project, source, caller)) {
            return publisher.publish(target, out -> {
                MessageDigest md5 = md5();
                long written = ObjectPublisher.stream(content, out, md5);
                Map<String, String> merged = new java.util.LinkedHashMap<>(source.record().metadata());
                merged.putAll(metadata);
                return new ObjectRecord(object, written, written, HexFormat.of().formatHex(md5.digest()),
                        contentType == null ? source.record().contentType() : contentType, now(), merged, null);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores a Static Large Object manifest over segments that {@link SloManifest} has checked. */
    ObjectRecord putManifest(String project, String container, String object, List<ObjectRecord.Segment> segments,
                             String contentType, Map<String, String> metadata) {
        requireContainer(project, container);
        Path target = directory.object(project, container, object);
        MessageDigest etags = md5();
        long bytes = 0;
        for (ObjectRecord.Segment segment : segments) {
            etags.update(segment.etag().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            bytes += segment.bytes();
        }
        ObjectRecord record = new ObjectRecord(object, 0, bytes, HexFormat.of().formatHex(etags.digest()),
                contentType(contentType), now(), metadata, segments);
        return publisher.publish(target, out -> record);
    }

    /** The object, open for reading (to be closed by the caller). */
    ObjectFile.Opened open(String project, String container, String object) {
        try {
            return ObjectFile.open(directory.object(project, container, object));
        } catch (NoSuchFileException e) {
            throw StoreException.notFound();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record of the object, or a 404. */
    ObjectRecord record(String project, String container, String object) {
        try {
            return ObjectFile.read(directory.object(project, container, object));
        } catch (NoSuchFileException e) {
            throw StoreException.notFound();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The object's content: its data, or a manifest's segments one after the other. The segments are checked
     * before the first byte is sent (a 409 then, as Swift), and each again when it is opened.
     */
    InputStream content(String project, ObjectFile.Opened opened, StoreCaller caller) {
        if (!opened.record().manifest()) {
            return opened.data();
        }
        for (ObjectRecord.Segment segment : opened.record().segments()) {
            if (!caller.allowsRead(segment.container(), segment.object())) {
                throw new StoreException(403, "Forbidden");
            }
            ObjectRecord stored = readOrNull(project, segment.container(), segment.object());
            if (stored == null || !stored.etag().equals(segment.etag()) || stored.bytes() != segment.bytes()) {
                throw new StoreException(409, "Conflict: segment " + segment.path() + " changed or is gone");
            }
        }
        return new SegmentsStream(this, project, opened.record().segments());
    }

    /** Deletes the object; a 404 when there is none. */
    void delete(String project, String container, String object) {
        try {
            Files.delete(directory.object(project, container, object));
        } catch (NoSuchFileException e) {
            throw StoreException.notFound();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a manifest and its segments ({@code ?multipart-manifest=delete}); a plain object alone. */
    BulkDeleteResult deleteManifest(String project, String container, String object, StoreCaller caller) {
        ObjectRecord manifest = record(project, container, object);
        List<ObjectRecord.Segment> segments = manifest.manifest() ? manifest.segments() : List.of();
        for (ObjectRecord.Segment segment : segments) {
            if (!caller.allows(segment.container(), segment.object())) {
                throw new StoreException(403, "Forbidden");
            }
        }
        int deleted = 0;
        int notFound = 0;
        for (ObjectRecord.Segment segment : segments) {
            try {
                delete(project, segment.container(), segment.object());
                deleted++;
            } catch (StoreException e) {
                notFound++;
            }
        }
        try {
            delete(project, container, object);
            deleted++;
        } catch (StoreException e) {
            notFound++;
        }
        return new BulkDeleteResult(deleted, notFound);
    }

    record BulkDeleteResult(int deleted, int notFound) {
    }

    ObjectRecord readOrNull(String project, String container, String object) {
        try {
            return ObjectFile.read(directory.object(project, container, object));
        } catch (NoSuchFileException e) {
            return null;
        } catch (StoreException e) {
            return null;
        } catch (IOException e) {
            log.warn("Unreadable object {}/{} in project {}: {}", container, object, project, e.toString());
            return null;
        }
    }

    private TreeSet<String> names(String project, String container) {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.container(project, container))) {
            for (Path file : files) {
                String name = StoreDirectory.objectName(file);
                if (name != null) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            throw StoreException.notFound();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private void requireContainer(String project, String container) {
        if (!Files.isDirectory(directory.container(project, container))) {
            throw StoreException.notFound();
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String contentType(String requested) {
        return requested == null || requested.isBlank() ? DEFAULT_CONTENT_TYPE : requested;
    }

    static String unquote(String etag) {
        String value = etag.trim();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
