package org.trovej.api.objectstore;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the store keeps about an object besides its bytes.
 *
 * @param name         the object's name
 * @param dataBytes    how many bytes of data the file holds (0 for a manifest)
 * @param bytes        the object's length as Swift reports it (for a manifest: its segments' sum)
 * @param etag         hex MD5 of the data; for a manifest, Swift's MD5 of the segments' ETags
 * @param contentType  as the client sent it, or application/octet-stream
 * @param lastModified when the PUT completed
 * @param metadata     the {@code X-Object-Meta-*} headers, names without the prefix in Swift's title case
 * @param segments     a Static Large Object manifest's segments in order, or null for an ordinary object
 */
record ObjectRecord(String name, long dataBytes, long bytes, String etag, String contentType, Instant lastModified,
                    Map<String, String> metadata, List<Segment> segments) {

    ObjectRecord {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        segments = segments == null ? null : List.copyOf(segments);
    }

    boolean manifest() {
        return segments != null;
    }

    /**
     * One segment of a manifest, as Swift keeps it.
     *
     * @param path {@code /<container>/<object>} in the manifest's account
     */
    record Segment(String path, String etag, long bytes) {

        String container() {
            return path.substring(1, path.indexOf('/', 1));
        }

        String object() {
            return path.substring(path.indexOf('/', 1) + 1);
        }
    }
}
