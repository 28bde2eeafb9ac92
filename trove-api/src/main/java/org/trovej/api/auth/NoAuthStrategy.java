package org.trovej.api.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

/**
 * No authentication: the caller is whoever the request says. Project from the path, user from
 * {@code X-User-Id}, roles from {@code X-Roles} (comma separated, {@code admin} makes an admin). For development
 * and tests only.
 */
public class NoAuthStrategy implements AuthStrategy {

    @Override
    public AuthContext authenticate(HttpServletRequest request, String projectId) {
        String user = request.getHeader("X-User-Id");
        List<String> roles = roles(request.getHeader("X-Roles"));
        boolean admin = roles.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals("admin"));
        return new AuthContext(projectId, user == null || user.isBlank() ? null : user.trim(), roles, admin);
    }

    static List<String> roles(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        return Arrays.stream(header.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
    }
}
