package org.trovej.api.error;

import java.util.Map;
import java.util.UUID;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's whitelabel/JSON error page for errors that never reach a controller (filters, the
 * servlet container), so they too have Trove's fault shape.
 */
@RestController
public class FaultErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(FaultErrorController.class);

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<Map<String, Faults.Detail>> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(status instanceof Integer code)) {
            // a client asking for the error path itself: Trove has no such route
            return Faults.response(404);
        }
        if (code >= 500) {
            UUID errorId = UUID.randomUUID();
            Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            log.error("{}: {} {} failed with {}", errorId, request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    code, failure, failure instanceof Throwable t ? t : null);
            return Faults.internalError(errorId);
        }
        return Faults.response(code == 405 ? 404 : code);
    }
}
