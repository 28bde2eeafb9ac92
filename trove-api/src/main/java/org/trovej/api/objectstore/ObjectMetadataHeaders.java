package org.trovej.api.objectstore;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code X-Object-Meta-*} request headers: read with Swift's limits, names kept in Swift's title case
 * ({@code x-object-meta-parent-location} is {@code Parent-Location}), so they come back as they were sent.
 */
final class ObjectMetadataHeaders {

    static final String PREFIX = "X-Object-Meta-";
    static final int MAX_NAME = 128;
    static final int MAX_VALUE = 256;
    static final int MAX_COUNT = 90;
    static final int MAX_TOTAL = 4096;

    private ObjectMetadataHeaders() {
    }

    static Map<String, String> read(HttpServletRequest request) {
        Map<String, String> metadata = new LinkedHashMap<>();
        int total = 0;
        for (String header : Collections.list(request.getHeaderNames())) {
            if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || header.length() == PREFIX.length()) {
                continue;
            }
            String name = titleCase(header.substring(PREFIX.length()));
            String value = request.getHeader(header);
            if (name.length() > MAX_NAME) {
                throw StoreException.badRequest("Metadata name too long; max " + MAX_NAME);
            }
            if (value.length() > MAX_VALUE) {
                throw StoreException.badRequest("Metadata value longer than " + MAX_VALUE + ": " + name);
            }
            metadata.put(name, value);
            total += name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (metadata.size() > MAX_COUNT) {
            throw StoreException.badRequest("Too many metadata items; max " + MAX_COUNT);
        }
        if (total > MAX_TOTAL) {
            throw StoreException.badRequest("Total metadata too large; max " + MAX_TOTAL);
        }
        return metadata;
    }

    static String titleCase(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean start = true;
        for (char c : name.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = c == '-';
        }
        return out.toString();
    }
}
