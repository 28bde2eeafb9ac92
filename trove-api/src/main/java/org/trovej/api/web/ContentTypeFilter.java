package org.trovej.api.web;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.trovej.api.error.Faults;
import org.trovej.api.objectstore.ObjectStoreController;

/**
 * A Content-Type that names no concrete media type ({@code *}{@code /*}, {@code application/*}, or text that does
 * not parse) is refused with 415 on a request whose body the API reads (POST, PUT, PATCH), as any type other than
 * JSON is; on any other request the body is not read and the header is hidden. Spring would otherwise fail with an
 * IllegalArgumentException — a 500 — wherever it looks at the header. The local object store keeps the types it is
 * given and is left alone.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public class ContentTypeFilter extends OncePerRequestFilter {

    private static final Set<String> READ_BODY = Set.of("POST", "PUT", "PATCH");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getContentType() == null
                || request.getRequestURI().startsWith(request.getContextPath() + ObjectStoreController.ROOT);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (concrete(request.getContentType())) {
            chain.doFilter(request, response);
        } else if (READ_BODY.contains(request.getMethod())) {
            Faults.write(response, 415, "Unsupported Content-Type");
        } else {
            chain.doFilter(new WithoutContentType(request), response);
        }
    }

    static boolean concrete(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** The request as if it had come without a Content-Type. */
    private static final class WithoutContentType extends HttpServletRequestWrapper {

        WithoutContentType(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return null;
        }

        @Override
        public String getHeader(String name) {
            return "content-type".equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "content-type".equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !"content-type".equalsIgnoreCase(name)).toList());
        }
    }
}
