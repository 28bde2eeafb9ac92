package org.trovej.api.error;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every error a controller or Spring MVC raises becomes a Trove fault body. */
@RestControllerAdvice
public class FaultHandler {

    private static final Logger log = LoggerFactory.getLogger(FaultHandler.class);

    /** Trove's router answers 404 for an unknown path and for a known path with a verb it does not route. */
    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class,
            HttpRequestMethodNotSupportedException.class})
    public ResponseEntity<Map<String, Faults.Detail>> notRouted() {
        return Faults.response(404);
    }

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<Map<String, Faults.Detail>> refused(ApiException e) {
        if (e.status() >= 500) {
            log.warn("{} {}", e.status(), e.getMessage());
        } else {
            log.info("{} {}", e.status(), e.getMessage());
        }
        return Faults.response(e.status(), e.getMessage());
    }

    /** The wording of Trove's (oslo's) request deserializer. */
    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<Map<String, Faults.Detail>> unsupportedMediaType() {
        return Faults.response(415, "Unsupported Content-Type");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Map<String, Faults.Detail>> unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestBodyTooLargeException tooLarge) {
                return Faults.response(413, tooLarge.getMessage());
            }
        }
        return Faults.response(400, "Malformed request body");
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Faults.Detail>> other(Exception e) {
        if (e instanceof ErrorResponse error && error.getStatusCode().value() < 500) {
            int status = error.getStatusCode().value();
            String reason = e instanceof ResponseStatusException rse ? rse.getReason() : null;
            return reason == null ? Faults.response(status) : Faults.response(status, reason);
        }
        UUID errorId = UUID.randomUUID();
        log.error("{}: {}", errorId, e.toString(), e);
        return Faults.internalError(errorId);
    }
}
