package org.trovej.api.auth;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Authenticates every routed {@code /v1.0/{projectId}/...} request before its controller runs and leaves the
 * caller's {@link AuthContext} on the request. The path's project is checked ({@link ProjectIds}) after
 * authentication, so that a caller who is not authenticated is refused as such first. Unrouted paths never get
 * here: they are plain 404s, as in Trove.
 */
class AuthInterceptor implements HandlerInterceptor {

    static final String ATTRIBUTE = AuthContext.class.getName();

    private final AuthStrategy strategy;

    AuthInterceptor(AuthStrategy strategy) {
        this.strategy = strategy;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables instanceof Map<?, ?> map && map.get("projectId") instanceof String projectId) {
            AuthContext caller = strategy.authenticate(request, projectId);
            ProjectIds.require(projectId, "project id");
            request.setAttribute(ATTRIBUTE, caller);
        }
        return true;
    }
}
