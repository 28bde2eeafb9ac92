package org.trovej.api.limits;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Trove's RateLimitingMiddleware: every routed {@code /v1.0/{project}/...} request counts against its project's
 * buckets; a full bucket answers 413 {@code overLimit} with {@code details}, {@code retryAfter} and a
 * {@code Retry-After} header (whole seconds, rounded up). Only when {@code trovej.rate-limit.enabled}.
 */
class RateLimitInterceptor implements HandlerInterceptor {

    private final RateLimiter limiter;
    private final ObjectMapper mapper;

    RateLimitInterceptor(RateLimiter limiter, ObjectMapper mapper) {
        this.limiter = limiter;
        this.mapper = mapper;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        if (!limiter.enabled()) {
            return true;
        }
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (!(variables instanceof Map<?, ?> map) || !(map.get("projectId") instanceof String projectId)) {
            return true;
        }
        String uri = request.getRequestURI();
        String prefix = request.getContextPath() + "/v1.0/" + projectId;
        String path = uri.startsWith(prefix) ? uri.substring(prefix.length()) : uri;
        RateLimiter.Delay delay = limiter.check(projectId, request.getMethod(), path);
        if (delay == null) {
            return true;
        }
        String retryAfter = String.valueOf(Math.max(0, (long) Math.ceil(delay.seconds())));
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("code", 413);
        fault.put("message", "This request was rate-limited.");
        fault.put("details", delay.details());
        fault.put("retryAfter", retryAfter);
        response.setStatus(413);
        response.setHeader("Retry-After", retryAfter);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), Map.of("overLimit", fault));
        return false;
    }
}
