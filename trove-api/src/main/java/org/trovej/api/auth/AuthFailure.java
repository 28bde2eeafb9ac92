package org.trovej.api.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.trovej.api.error.Faults;

/**
 * A refusal that in Trove comes from before Trove's own fault handling, with the body its real source writes:
 * keystonemiddleware's 401 ({@code {"error": {...}}} plus {@code WWW-Authenticate}), and webob's bare 403 of the
 * tenant check and 503 of an unreachable Keystone ({@code {"message", "code", "title"}} for a JSON Accept header,
 * Trove's fault body otherwise).
 */
public class AuthFailure extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String contentType;
    private final String body;
    private final Map<String, String> headers;

    private AuthFailure(int status, String contentType, String body, Map<String, String> headers, String message) {
        super(message, null, false, false);
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public String body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** keystonemiddleware's answer to a request without a valid token. */
    public static AuthFailure unauthorized(String wwwAuthenticateUri) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", 401);
        error.put("title", "Unauthorized");
        error.put("message", "The request you have made requires authentication.");
        return new AuthFailure(401, "application/json; charset=UTF-8", json(Map.of("error", error)),
                Map.of("WWW-Authenticate", "Keystone uri=\"" + wwwAuthenticateUri + "\""),
                "The request you have made requires authentication.");
    }

    /** Trove's tenant check: the path names another project than the token's. */
    public static AuthFailure tenantMismatch(HttpServletRequest request, String tokenProject) {
        return webob(request, 403, "User with tenant id " + (tokenProject == null ? "None" : tokenProject)
                + " cannot access this resource.");
    }

    /** keystonemiddleware when it cannot ask Keystone. */
    public static AuthFailure keystoneUnavailable(HttpServletRequest request) {
        return webob(request, 503, "The Keystone service is temporarily unavailable.");
    }

    private static AuthFailure webob(HttpServletRequest request, int status, String detail) {
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("application/json")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("message", Faults.explanation(status) + "<br /><br />\n" + detail + "\n\n");
            body.put("code", status + " " + title(status));
            body.put("title", title(status));
            return new AuthFailure(status, "application/json", json(body), Map.of(), detail);
        }
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("code", status);
        fault.put("message", detail);
        return new AuthFailure(status, "application/json", json(Map.of(Faults.name(status), fault)), Map.of(),
                detail);
    }

    private static String title(int status) {
        return status == 403 ? "Forbidden" : status == 503 ? "Service Unavailable" : "Error";
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
