package org.trovej.api.compute;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Microversion headers on every compute answer, the version documents included. */
@OnLocalBackend
@Configuration(proxyBeanMethods = false)
class ComputeWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new Microversions()).addPathPatterns(ComputePaths.ROOT + "/**", ComputePaths.ROOT);
    }
}
