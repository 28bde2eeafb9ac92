package org.trovej.api.auth;

import org.trovej.api.error.ApiException;

/**
 * A project id a request names must fit Keystone's (and the database's) 64 characters. A longer one cannot name
 * any project; Trove would let it reach its database and fail there, TroveJ answers 400 before anything reads or
 * writes. Keystone mode refuses it earlier anyway (403: the path's project is not the token's).
 */
public final class ProjectIds {

    public static final int MAX_LENGTH = 64;

    private ProjectIds() {
    }

    /** @param what how the message names the id: "project id", "tenant id" */
    public static String require(String id, String what) {
        if (id.length() > MAX_LENGTH) {
            throw ApiException.badRequest("Invalid " + what + " '" + id + "': it is longer than " + MAX_LENGTH
                    + " characters.");
        }
        return id;
    }
}
