package org.trovej.api.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Turns a request into the caller's context, or refuses it ({@link org.trovej.api.error.ApiException} 401/403).
 * One implementation per {@code trovej.auth.strategy}; Keystone token validation will be another.
 */
public interface AuthStrategy {

    /**
     * @param projectId the {@code {project_id}} of the request's path
     */
    AuthContext authenticate(HttpServletRequest request, String projectId);
}
