package org.trovej.api.auth;

import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

/**
 * No authentication: the caller is whoever the request says. Project from the path, user from
 * {@code X-User-Id}, roles from {@code X-Roles} (comma separated; the policy's {@code context_is_admin}, by default
 * role {@code admin}, makes an admin). For development and tests only.
 */
public class NoAuthStrategy implements AuthStrategy {

    private final Policy policy;

    public NoAuthStrategy(Policy policy) {
        this.policy = policy;
    }

    @Override
    public AuthContext authenticate(HttpServletRequest request, String projectId) {
        String header = request.getHeader("X-User-Id");
        String user = header == null || header.isBlank() ? null : header.trim();
        List<String> roles = roles(request.getHeader("X-Roles"));
        return new AuthContext(projectId, user, roles, policy.isAdmin(projectId, user, roles));
    }

    /**
     * Without a project in the path the request names it, as keystonemiddleware's headers do: {@code X-Project-Id},
     * else Nova's noauth {@code X-Auth-Project-Id}; neither is a 401.
     */
    @Override
    public AuthContext authenticate(HttpServletRequest request) {
        String project = header(request, "X-Project-Id");
        if (project == null) {
            project = header(request, "X-Auth-Project-Id");
        }
        if (project == null) {
            throw AuthFailure.unauthorized("noauth");
        }
        return authenticate(request, ProjectIds.require(project, "project id"));
    }

    private static String header(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    static List<String> roles(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        return Arrays.stream(header.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
    }
}
