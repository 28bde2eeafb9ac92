package org.trovej.api.limits;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Rate limiting on {@code /v1.0/**}, after authentication (as in Trove's pipeline). */
@Configuration(proxyBeanMethods = false)
public class RateLimitWebConfiguration implements WebMvcConfigurer {

    private final RateLimiter limiter;
    private final ObjectMapper mapper;

    public RateLimitWebConfiguration(RateLimiter limiter, ObjectMapper mapper) {
        this.limiter = limiter;
        this.mapper = mapper;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new RateLimitInterceptor(limiter, mapper)).addPathPatterns("/v1.0/**")
                .order(Ordered.LOWEST_PRECEDENCE);
    }
}
