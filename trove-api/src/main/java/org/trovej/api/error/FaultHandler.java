package org.trovej.api.error;

import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.trovej.service.db.DatabaseUnavailable;
import org.trovej.service.quota.QuotaRefused;
import org.trovej.service.rpc.BrokerUnavailable;

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

    @ExceptionHandler(QuotaRefused.class)
    public ResponseEntity<Map<String, Faults.Detail>> quotaRefused(QuotaRefused e) {
        log.info("{} {}", e.status(), e.getMessage());
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

    /**
     * The client closed its connection before the answer was written (a benchmark stopping, a browser going away):
     * nothing can be answered and nothing is wrong on this side, so no ERROR and no stack trace.
     */
    @ExceptionHandler({AsyncRequestNotUsableException.class, ClientAbortException.class})
    public void clientGone(Exception e, HttpServletResponse response) {
        log.debug("the client closed its connection: {}", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Faults.Detail>> other(Exception e) {
        if (e instanceof ErrorResponse error && error.getStatusCode().value() < 500) {
            int status = error.getStatusCode().value();
            String reason = e instanceof ResponseStatusException rse ? rse.getReason() : null;
            return reason == null ? Faults.response(status) : Faults.response(status, reason);
        }
        Throwable unavailable = DatabaseUnavailable.causeIn(e);
        if (unavailable != null) {
            // nothing was changed (the transaction never began or was rolled back): the client may try again
            log.warn("503: the database is unavailable: {}: {}", unavailable.getClass().getSimpleName(),
                    unavailable.getMessage());
            return Faults.response(503);
        }
        Throwable broker = BrokerUnavailable.causeIn(e);
        if (broker != null) {
            // the broker went away between the gate's check and the message (the records say what became of it)
            log.warn("503: the message broker is unavailable: {}: {}", broker.getClass().getSimpleName(),
                    broker.getMessage());
            return Faults.response(503, "The message broker is unreachable, so the request could not be passed on. "
                    + "Please try again later.");
        }
        UUID errorId = UUID.randomUUID();
        log.error("{}: {}", errorId, e.toString(), e);
        return Faults.internalError(errorId);
    }
}
