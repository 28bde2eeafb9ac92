package org.trovej.api.error;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Trove's fault body, {@code {"<faultName>": {"code": N, "message": "..."}}}, with the names Trove's
 * {@code Fault} gives webob's exceptions and webob's default explanations as messages.
 */
public final class Faults {

    /** Trove's explicit names; any other status is webob's class name minus "HTTP", first letter lowered. */
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(400, "badRequest"),
            Map.entry(401, "unauthorized"),
            Map.entry(403, "forbidden"),
            Map.entry(404, "itemNotFound"),
            Map.entry(405, "badMethod"),
            Map.entry(413, "overLimit"),
            Map.entry(414, "requestURITooLong"),
            Map.entry(415, "badMediaType"),
            // webob's class names where the reason phrase is worded otherwise
            Map.entry(416, "requestRangeNotSatisfiable"),
            Map.entry(505, "versionNotSupported"),
            Map.entry(500, "instanceFault"),
            Map.entry(501, "notImplemented"),
            Map.entry(503, "serviceUnavailable"));

    private static final Map<Integer, String> EXPLANATIONS = Map.ofEntries(
            Map.entry(400, "The server could not comply with the request since it is either malformed or "
                    + "otherwise incorrect."),
            Map.entry(401, "This server could not verify that you are authorized to access the document you "
                    + "requested.  Either you supplied the wrong credentials (e.g., bad password), or your browser "
                    + "does not understand how to supply the credentials required."),
            Map.entry(403, "Access was denied to this resource."),
            Map.entry(404, "The resource could not be found."),
            Map.entry(409, "There was a conflict when trying to complete your request."),
            Map.entry(413, "The body of your request was too large for this server."),
            Map.entry(415, "The request media type is not supported by this server."),
            Map.entry(422, "Unable to process the contained instructions"),
            Map.entry(500, "The server has either erred or is incapable of performing the requested operation."),
            Map.entry(503, "The server is currently unavailable. Please try again at a later time."));

    private static final ObjectMapper JSON = new ObjectMapper();

    private Faults() {
    }

    /** Writes the fault from a servlet filter, where no controller advice applies. */
    public static void write(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("utf-8");
        response.getOutputStream().write(JSON.writeValueAsBytes(response(status, message).getBody()));
    }

    public record Detail(int code, String message) {
    }

    public static ResponseEntity<Map<String, Detail>> response(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of(name(status), new Detail(status, message)));
    }

    /** The fault with webob's default text for the status. */
    public static ResponseEntity<Map<String, Detail>> response(int status) {
        return response(status, explanation(status));
    }

    /** An unexpected failure: the message carries an id that is also logged, as Trove does. */
    public static ResponseEntity<Map<String, Detail>> internalError(UUID errorId) {
        return response(500, "Internal Server Error. Please keep this ID to help us figure out what went wrong: ("
                + errorId + ").");
    }

    public static String name(int status) {
        String name = NAMES.get(status);
        if (name != null) {
            return name;
        }
        HttpStatus known = HttpStatus.resolve(status);
        if (known == null) {
            return "serverError";
        }
        String camel = known.getReasonPhrase().replaceAll("[^A-Za-z]", "");
        return Character.toLowerCase(camel.charAt(0)) + camel.substring(1);
    }

    public static String explanation(int status) {
        String text = EXPLANATIONS.get(status);
        if (text != null) {
            return text;
        }
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error " + status : known.getReasonPhrase();
    }
}
