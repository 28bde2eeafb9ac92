package org.trovej.api.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Writes {@link AuthFailure}s exactly as their Trove counterparts (before the general fault handling). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AuthFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(AuthFailureHandler.class);

    @ExceptionHandler(AuthFailure.class)
    public ResponseEntity<String> refused(AuthFailure failure) {
        if (failure.status() >= 500) {
            log.warn("{} {}", failure.status(), failure.getMessage());
        } else {
            log.info("{} {}", failure.status(), failure.getMessage());
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(failure.status())
                .header("Content-Type", failure.contentType());
        failure.headers().forEach(response::header);
        return response.body(failure.body());
    }
}
