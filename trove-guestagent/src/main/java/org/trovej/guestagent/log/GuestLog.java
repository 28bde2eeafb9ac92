package org.trovej.guestagent.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.common.log.GuestLogInfo;
import org.trovej.guestagent.datastore.GuestError;

/**
 * One log file and what of it is in the object store, as Trove's guest keeps them (guest_log.py): the bytes
 * already published are known from the log's metafile in the store (read once, then tracked here); the rest of
 * the file is pending. A file smaller than what was published, or whose first line changed since, was rotated:
 * the next publish discards the old objects first.
 * <p>
 * Unlike Trove's, the objects are exact byte ranges of the file (split after a line end where one falls within
 * {@code guest_log_limit}, else at the limit), so the published objects concatenated are the file, whatever its
 * encoding, and {@code published} counts bytes. Objects: {@code <prefix>log-<UTC time>} with metadata
 * {@code lines} (what {@code openstack database log tail} reads); the metafile {@code <guest>/<manager>-<log>_metafile}
 * is JSON with Trove's keys. The metafile is rewritten after each object, so an interrupted publish resumes
 * where it stopped instead of publishing twice.
 */
final class GuestLog {

    private static final DateTimeFormatter OBJECT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    /** A first line longer than this is digested up to here (Trove's readline would take all of it). */
    private static final int HEADER_LIMIT = 1 << 20;

    private final String name;
    private final String type;
    private final Path file;
    private final LogSettings settings;
    /** Bytes published, as the metafile says; null until read from the store. */
    private Long published;
    /** The MD5 of the file's first line when it was published (null: nothing published). */
    private String publishedDigest;
    private Instant lastObjectTime = Instant.EPOCH;

    GuestLog(String name, String type, Path file, LogSettings settings) {
        this.name = name;
        this.type = type;
        this.file = file;
        this.settings = settings;
    }

    String name() {
        return name;
    }

    String type() {
        return type;
    }

    Path file() {
        return file;
    }

    String prefix() {
        return settings.objectBase() + name + "/";
    }

    String metafile() {
        return settings.objectBase() + name + "_metafile";
    }

    /** Trove's log dict, the published size read from the store when not known yet. */
    GuestLogInfo show(Supplier<LogStore> store, boolean enabled) {
        knowPublished(store);
        FileState now = FileState.of(file);
        String status;
        long pending = Math.max(0, now.size() - published);
        if (!enabled) {
            status = "Disabled";
        } else if (rotated(now)) {
            status = "Rotated";
            pending = now.size();
        } else if (now.size() > published) {
            status = published > 0 ? "Partial" : "Ready";
        } else {
            status = published > 0 ? "Published" : "Enabled";
        }
        boolean any = published > 0;
        return new GuestLogInfo(name, type, status, published, pending,
                any ? settings.container() : GuestLogInfo.NONE, any ? prefix() : GuestLogInfo.NONE, metafile());
    }

    /** Sends what is not yet in the store (everything, after discarding the old objects, when rotated). */
    GuestLogInfo publish(Supplier<LogStore> store, boolean enabled) {
        LogStore target = store.get();
        knowPublished(store);
        FileState now = FileState.of(file);
        target.ensureContainer(settings.container());
        if (rotated(now)) {
            deleteComponents(target);
        }
        if (!now.exists()) {
            throw new GuestError("Cannot publish log file '" + file + "' as it does not exist.");
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(published);
            byte[] buffer = new byte[(int) Math.min(settings.limit(), Integer.MAX_VALUE - 16)];
            int filled = 0;
            long left = now.size() - published;
            while (left > 0 || filled > 0) {
                if (left > 0 && filled < buffer.length) {
                    int n = in.read(buffer, filled, (int) Math.min(buffer.length - filled, left));
                    if (n < 0) {
                        left = 0; // the file shrank meanwhile: publish what was read
                    } else {
                        filled += n;
                        left -= n;
                    }
                    if (left > 0 && filled < buffer.length) {
                        continue;
                    }
                }
                int cut = left > 0 ? cutPoint(buffer, filled) : filled;
                putComponent(target, buffer, cut, now.headerDigest());
                System.arraycopy(buffer, cut, buffer, 0, filled - cut);
                filled -= cut;
            }
        } catch (IOException e) {
            throw new GuestError("Cannot read log file '" + file + "': " + e.getMessage(), e);
        }
        putMetafile(target, now.headerDigest());
        return show(store, enabled);
    }

    /** Removes the log's objects and its metafile. */
    GuestLogInfo discard(Supplier<LogStore> store, boolean enabled) {
        LogStore target = store.get();
        knowPublished(store);
        deleteComponents(target);
        return show(store, enabled);
    }

    private void deleteComponents(LogStore target) {
        List<String> objects = new ArrayList<>(target.list(settings.container(), prefix()));
        objects.add(metafile());
        for (String object : objects) {
            target.delete(settings.container(), object);
        }
        published = 0L;
        publishedDigest = null;
    }

    /** After the last line end in the buffer; the whole buffer when one line fills it. */
    private static int cutPoint(byte[] buffer, int filled) {
        for (int i = filled - 1; i >= 0; i--) {
            if (buffer[i] == '\n') {
                return i + 1;
            }
        }
        return filled;
    }

    private void putComponent(LogStore target, byte[] buffer, int length, String headerDigest) {
        byte[] body = java.util.Arrays.copyOf(buffer, length);
        int lines = 0;
        for (byte b : body) {
            if (b == '\n') {
                lines++;
            }
        }
        if (length > 0 && body[length - 1] != '\n') {
            lines++; // a line continued in the next object, or not yet ended in the file
        }
        target.put(settings.container(), prefix() + "log-" + nextObjectTime(), body,
                Map.of("lines", Integer.toString(lines)), settings.expirySeconds());
        published += length;
        publishedDigest = headerDigest;
        putMetafile(target, headerDigest);
    }

    /** The objects of a log sort in publishing order: each name's time is later than the one before. */
    private String nextObjectTime() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!now.isAfter(lastObjectTime)) {
            now = lastObjectTime.plus(1, ChronoUnit.MICROS);
        }
        lastObjectTime = now;
        return OBJECT_TIME.format(now);
    }

    private void putMetafile(LogStore target, String headerDigest) {
        ObjectNode meta = PythonJson.object();
        meta.put("log_name", name);
        meta.put("log_type", type);
        meta.put("log_file", file.toString());
        meta.put("log_size", published);
        meta.put("log_header_digest", headerDigest);
        target.put(settings.container(), metafile(), PythonJson.dumps(meta).getBytes(StandardCharsets.UTF_8), Map.of(),
                settings.expirySeconds());
    }

    private void knowPublished(Supplier<LogStore> store) {
        if (published != null) {
            return;
        }
        JsonNode meta = store.get().read(settings.container(), metafile()).map(GuestLog::json).orElse(null);
        if (meta == null) {
            published = 0L;
            publishedDigest = null;
        } else {
            published = meta.path("log_size").asLong(0);
            publishedDigest = meta.path("log_header_digest").asText(null);
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return PythonJson.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null; // an unreadable metafile: as if nothing were published
        }
    }

    private boolean rotated(FileState now) {
        return published > 0 && (now.size() < published || !Objects.equals(publishedDigest, now.headerDigest()));
    }

    /** The file's size and the MD5 hex of its first line (newline included), as Trove compares them. */
    record FileState(boolean exists, long size, String headerDigest) {

        static FileState of(Path file) {
            try (InputStream in = Files.newInputStream(file)) {
                long size = Files.size(file);
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                byte[] chunk = new byte[8192];
                int total = 0;
                boolean ended = false;
                while (!ended && total < HEADER_LIMIT) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        break;
                    }
                    int take = n;
                    for (int i = 0; i < n; i++) {
                        if (chunk[i] == '\n') {
                            take = i + 1;
                            ended = true;
                            break;
                        }
                    }
                    md5.update(chunk, 0, take);
                    total += take;
                }
                return new FileState(true, size, HexFormat.of().formatHex(md5.digest()));
            } catch (NoSuchFileException e) {
                return new FileState(false, 0, null);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read log file " + file, e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
