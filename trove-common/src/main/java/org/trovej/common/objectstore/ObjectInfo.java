package org.trovej.common.objectstore;

import java.util.Map;

/**
 * What a HEAD of an object says.
 *
 * @param metadata    the {@code X-Object-Meta-*} headers, names without the prefix and lower-cased
 *                    ({@code X-Object-Meta-Sha256} is {@code sha256})
 * @param etag        without quotes; for an SLO manifest Swift's ETag is the MD5 of its segments' ETags, not of
 *                    the bytes
 * @param length      the whole object's length (for a manifest: the sum of its segments)
 * @param sloManifest whether it is a Static Large Object manifest
 */
public record ObjectInfo(Map<String, String> metadata, String etag, long length, boolean sloManifest) {

    public ObjectInfo {
        metadata = Map.copyOf(metadata);
    }

    /** A metadata value by its name in any case, or null. */
    public String meta(String name) {
        return metadata.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
