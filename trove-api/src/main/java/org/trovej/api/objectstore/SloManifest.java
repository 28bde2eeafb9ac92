package org.trovej.api.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Static Large Object manifest as a client PUTs it ({@code ?multipart-manifest=put}): a JSON list of
 * {@code {"path": "/<container>/<object>", "etag": md5hex, "size_bytes": n}}. Every segment must exist in the
 * account with that ETag and size (a null {@code etag} or {@code size_bytes} is not checked, as in Swift);
 * otherwise the answer is Swift's 400 listing each problem segment.
 */
final class SloManifest {

    /** Swift's default {@code max_manifest_segments}. */
    static final int MAX_SEGMENTS = 1000;
    /** Swift's default {@code max_manifest_size}. */
    static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SloManifest() {
    }

    /** The manifest's segments as stored, each checked against the object it names. */
    static List<ObjectRecord.Segment> read(InputStream body, String project, LocalObjectStore store,
                                            StoreCaller caller) {
        JsonNode list = parse(body);
        if (!list.isArray() || list.isEmpty()) {
            throw StoreException.badRequest("Manifest must be valid JSON.\n");
        }
        if (list.size() > MAX_SEGMENTS) {
            throw StoreException.badRequest("Too many segments in manifest; must be <= " + MAX_SEGMENTS + ".\n");
        }
        List<String> problems = new ArrayList<>();
        List<ObjectRecord.Segment> segments = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : list) {
            String path = entry.path("path").isTextual() ? entry.path("path").asText() : null;
            JsonNode etag = entry.path("etag");
            JsonNode size = entry.path("size_bytes");
            if (path == null || (!etag.isMissingNode() && !etag.isNull() && !etag.isTextual())
                    || (!size.isMissingNode() && !size.isNull() && !size.canConvertToLong())) {
                throw StoreException.badRequest("Index " + index + ": invalid segment (path, etag, size_bytes).\n");
            }
            index++;
            String[] parts = path.startsWith("/") ? path.substring(1).split("/", 2) : new String[0];
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                problems.add(path + ", Invalid path");
                continue;
            }
            try {
                StorePath.checkContainer(parts[0]);
                StorePath.checkObject(parts[1]);
            } catch (StoreException e) {
                problems.add(path + ", " + e.getMessage());
                continue;
            }
            if (!caller.allows(parts[0], parts[1])) {
                problems.add(path + ", 403 Forbidden");
                continue;
            }
            ObjectRecord stored = store.readOrNull(project, parts[0], parts[1]);
            if (stored == null) {
                problems.add(path + ", 404 Not Found");
                continue;
            }
            if (stored.manifest()) {
                problems.add(path + ", Nested manifests are not supported by this store");
                continue;
            }
            if (etag.isTextual() && !etag.asText().equalsIgnoreCase(LocalObjectStore.unquote(stored.etag()))) {
                problems.add(path + ", Etag Mismatch");
            }
            if (size.canConvertToLong() && size.asLong() != stored.bytes()) {
                problems.add(path + ", Size Mismatch");
            }
            segments.add(new ObjectRecord.Segment("/" + parts[0] + "/" + parts[1], stored.etag(), stored.bytes()));
        }
        if (!problems.isEmpty()) {
            throw StoreException.badRequest("Errors:\n" + String.join("\n", problems) + "\n");
        }
        return segments;
    }

    private static JsonNode parse(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new StoreException(499, "Client Disconnect");
        }
        if (bytes.length > MAX_BYTES) {
            throw new StoreException(413, "Manifest File > " + MAX_BYTES + " bytes\n");
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw StoreException.badRequest("Manifest must be valid JSON.\n");
        }
    }
}
