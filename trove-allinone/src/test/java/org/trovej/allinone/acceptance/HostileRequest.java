package org.trovej.allinone.acceptance;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One request of {@link HostileRequests}: raw method, request target and headers, the body's bytes (null: none),
 * and whether the API must refuse it. A request that could change anything (POST, PUT, PATCH, DELETE) is always
 * made so that it must be refused: its body is broken, or it names something that does not exist.
 */
record HostileRequest(String method, String target, Map<String, String> headers, byte[] body, boolean mustBeRefused,
                      String what) {

    /** For a failure message: the request as sent, with long bodies cut. */
    String describe() {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...(" + body.length + " bytes)";
        }
        String shownTarget = target.length() > 300 ? target.substring(0, 300) + "..." : target;
        return what + ": " + method + " " + shownTarget + " " + headers + " " + text;
    }
}
