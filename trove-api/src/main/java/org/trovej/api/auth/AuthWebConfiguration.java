package org.trovej.api.auth;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Authentication on {@code /v1.0/**}; {@code GET /} (versions) stays open, as in Trove. */
@Configuration(proxyBeanMethods = false)
public class AuthWebConfiguration implements WebMvcConfigurer {

    private final AuthStrategy strategy;

    public AuthWebConfiguration(AuthStrategy strategy) {
        this.strategy = strategy;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AuthInterceptor(strategy)).addPathPatterns("/v1.0/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new AuthContextResolver());
    }
}
