package org.trovej.api.backup;

import org.trovej.api.error.ApiException;

/**
 * Trove's backup paging (Backup._paginate): the marker is an offset into the list ordered newest first, the limit
 * defaults to the page size and is not capped, and a full page offers the next one at {@code offset + limit}.
 * What Trove would fail on with 500 (a marker or limit that is not a non-negative integer) is a 400 here.
 */
record BackupPage(int offset, int limit) {

    static BackupPage of(String limit, String marker, int pageSize) {
        int size = number("limit", limit, 0);
        return new BackupPage(number("marker", marker, 0), size == 0 ? pageSize : size);
    }

    /** The next page's marker, or null when this page was not full. */
    String nextMarker(int rows) {
        return rows < limit ? null : String.valueOf((long) offset + limit);
    }

    private static int number(String name, String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid " + name + " '" + value + "': an integer is expected.");
        }
        if (n < 0) {
            throw ApiException.badRequest("Invalid " + name + " '" + value + "': it must not be negative.");
        }
        return n;
    }
}
