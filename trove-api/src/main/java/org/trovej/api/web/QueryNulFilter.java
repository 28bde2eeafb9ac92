package org.trovej.api.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.trovej.api.error.Faults;
import org.trovej.api.objectstore.ObjectStoreController;

/**
 * Refuses a query parameter holding a NUL ({@code %00}) with 400. Trove's MySQL stores and compares NUL like any
 * character (a marker with one simply matches nothing); PostgreSQL refuses NUL in text outright, so without this
 * every list taking a marker, a project or a datastore would fail with a 500. Tomcat already refuses a NUL in the
 * path. The local object store has its own rules for names and is left alone.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class QueryNulFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getQueryString() == null
                || request.getRequestURI().startsWith(request.getContextPath() + ObjectStoreController.ROOT);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String name = parameterWithNul(request.getQueryString());
        if (name != null) {
            Faults.write(response, 400, "Invalid value for query parameter '" + name
                    + "': NUL characters are not allowed.");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The (decoded, NUL-free) name of the first parameter whose name or value has an encoded NUL, else null. */
    static String parameterWithNul(String query) {
        for (String pair : query.split("&")) {
            if (hasEncodedNul(pair)) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                return decode(name).replace("\0", "\\x00");
            }
        }
        return null;
    }

    private static boolean hasEncodedNul(String s) {
        for (int i = s.indexOf('%'); i >= 0 && i + 2 < s.length(); i = s.indexOf('%', i + 1)) {
            if (s.charAt(i + 1) == '0' && s.charAt(i + 2) == '0') {
                return true;
            }
        }
        return false;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
