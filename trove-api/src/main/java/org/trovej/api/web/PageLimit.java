package org.trovej.api.web;

import org.trovej.api.error.ApiException;

/**
 * Trove's pagination_limit: a missing or zero {@code limit} is the page size, a larger one is capped to it. A
 * limit that is not a non-negative integer is refused with 400 (Trove fails with 500).
 */
public final class PageLimit {

    private PageLimit() {
    }

    public static int of(String limit, int pageSize) {
        if (limit == null || limit.isBlank()) {
            return pageSize;
        }
        int requested;
        try {
            requested = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid limit '" + limit + "': an integer is expected.");
        }
        if (requested < 0) {
            throw ApiException.badRequest("Invalid limit '" + limit + "': it must not be negative.");
        }
        return requested == 0 ? pageSize : Math.min(requested, pageSize);
    }
}
