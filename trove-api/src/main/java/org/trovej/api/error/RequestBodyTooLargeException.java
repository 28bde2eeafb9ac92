package org.trovej.api.error;

import java.io.IOException;

/**
 * A request body grew past the limit while it was read (a chunked body announces no length). An
 * IOException so that it travels out of the JSON parser unchanged.
 */
public class RequestBodyTooLargeException extends IOException {

    public RequestBodyTooLargeException(long limit) {
        super(BodyLimits.message(limit));
    }
}
