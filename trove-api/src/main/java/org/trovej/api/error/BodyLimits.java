package org.trovej.api.error;

/** oslo.middleware's sizelimit wording. */
public final class BodyLimits {

    private BodyLimits() {
    }

    public static String message(long limit) {
        return "Request is too large. Larger than max_request_body_size (" + limit + ").";
    }
}
