package org.trovej.api.objectstore;

/**
 * What a container listing asks for (Swift's query parameters).
 *
 * @param prefix    only names starting with this ("" for all)
 * @param marker    only names after this (null for none)
 * @param endMarker only names before this (null for none)
 * @param limit     at most this many names
 * @param delimiter null, or a character: names holding it after the prefix are rolled up into one
 *                  {@code subdir} entry (prefix up to and including the delimiter), as Swift's pseudo-folders
 */
record ContainerListing(String prefix, String marker, String endMarker, int limit, String delimiter) {

    static final int MAX_LIMIT = 10_000;

    boolean includes(String name) {
        return name.startsWith(prefix) && (marker == null || name.compareTo(marker) > 0)
                && (endMarker == null || name.compareTo(endMarker) < 0);
    }

    /** The pseudo-folder {@code name} belongs to under this listing's delimiter, or null. */
    String subdir(String name) {
        if (delimiter == null) {
            return null;
        }
        int at = name.indexOf(delimiter, prefix.length());
        return at < 0 ? null : name.substring(0, at + delimiter.length());
    }

    /** The same listing, narrowed to names that also start with {@code scope}. */
    ContainerListing within(String scope) {
        if (scope.isEmpty() || prefix.startsWith(scope)) {
            return this;
        }
        if (scope.startsWith(prefix)) {
            return new ContainerListing(scope, marker, endMarker, limit, delimiter);
        }
        // disjoint: nothing both starts with prefix and with scope
        return new ContainerListing(prefix, marker, endMarker, 0, delimiter);
    }
}
