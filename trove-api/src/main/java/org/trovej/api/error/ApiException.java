package org.trovej.api.error;

/**
 * A request refused with a Trove fault: the status picks the fault name ({@link Faults#name}), the message is
 * Trove's text for the exception it would have raised. The factories are named after Trove's HTTP mapping,
 * not after its exception classes, because that mapping (by exact class) is what clients see.
 */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** Trove's NotFound: "Resource X cannot be found." */
    public static ApiException resourceNotFound(String id) {
        return notFound("Resource " + id + " cannot be found.");
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public static ApiException overLimit(String message) {
        return new ApiException(413, message);
    }

    public static ApiException unprocessable(String message) {
        return new ApiException(422, message);
    }

    public static ApiException notImplemented(String message) {
        return new ApiException(501, message);
    }
}
