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

    /**
     * The caller of an API whose paths carry no project (TroveJ's compute API, as Nova's since 2.18): the caller
     * acts in the project its credentials name, so there is no tenant check.
     */
    AuthContext authenticate(HttpServletRequest request);
}
