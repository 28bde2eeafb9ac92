package org.trovej.common.objectstore;

/**
 * One entry of a Static Large Object manifest: the segment's {@code /<container>/<object>} path, its MD5 (the
 * ETag its PUT answered) and its size in bytes. Swift checks both when the manifest is stored.
 */
public record SloSegment(String path, String etag, long sizeBytes) {

    public SloSegment {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a segment path is /<container>/<object>");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("a segment size is not negative");
        }
    }

    public static SloSegment of(String container, String object, String etag, long sizeBytes) {
        return new SloSegment("/" + container + "/" + object, etag, sizeBytes);
    }
}
