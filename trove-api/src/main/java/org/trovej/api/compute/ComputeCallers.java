package org.trovej.api.compute;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.AuthStrategy;

/**
 * Who calls the compute API: the same {@link AuthStrategy} as the Trove API (a Keystone token; in noauth mode the
 * request's headers), the project being the token's own since the paths name none.
 */
@OnLocalBackend
@Component
class ComputeCallers {

    private final AuthStrategy strategy;

    ComputeCallers(AuthStrategy strategy) {
        this.strategy = strategy;
    }

    AuthContext caller(HttpServletRequest request) {
        return strategy.authenticate(request);
    }
}
