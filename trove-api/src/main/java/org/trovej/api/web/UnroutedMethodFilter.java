package org.trovej.api.web;

import java.io.IOException;
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
 * TRACE and OPTIONS, which no Trove route serves, answer 405 with a fault body. Tomcat would refuse TRACE itself
 * with an empty body (the connector lets it through, see TomcatErrorCustomizer, so that this filter answers) and
 * Spring would answer OPTIONS with an empty 200 listing methods the resource may not even route. Trove's
 * pipeline has no OPTIONS route either (its CORS middleware answers preflights only when origins are
 * configured); a JSON 405 says plainly that the verb is not served. The object store keeps OPTIONS, as Swift's
 * CORS handling does, and answers TRACE in its own plain text.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class UnroutedMethodFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !"TRACE".equals(method) && !("OPTIONS".equals(method) && !store(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // webob's HTTPMethodNotAllowed explanation
        String message = "The method " + request.getMethod() + " is not allowed for this resource.";
        if (store(request)) {
            response.setStatus(405);
            response.setContentType("text/plain");
            response.getOutputStream().write("405 Method Not Allowed\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Faults.write(response, 405, message);
    }

    private static boolean store(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + ObjectStoreController.ROOT);
    }
}
