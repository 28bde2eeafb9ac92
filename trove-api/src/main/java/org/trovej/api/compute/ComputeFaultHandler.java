package org.trovej.api.compute;

import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Nova's fault body, {@code {"<name>": {"code", "message"}}} with the names of nova.api.openstack.wsgi.Fault;
 * only for this package's controllers (authentication refusals stay keystonemiddleware's, as before Nova).
 */
@OnLocalBackend
@RestControllerAdvice(basePackageClasses = ComputeFaultHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ComputeFaultHandler {

    record Detail(int code, String message) {
    }

    @ExceptionHandler(ComputeException.class)
    ResponseEntity<Map<String, Detail>> refused(ComputeException e) {
        return body(e.status(), e.getMessage());
    }

    static ResponseEntity<Map<String, Detail>> body(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of(name(status), new Detail(status, message)));
    }

    static String name(int status) {
        return switch (status) {
            case 400 -> "badRequest";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 405 -> "badMethod";
            case 409 -> "conflictingRequest";
            case 413, 429 -> "overLimit";
            case 415 -> "badMediaType";
            case 501 -> "notImplemented";
            case 503 -> "serviceUnavailable";
            default -> "computeFault";
        };
    }
}
