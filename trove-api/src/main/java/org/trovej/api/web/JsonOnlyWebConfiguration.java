package org.trovej.api.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Trove answers JSON whatever the Accept header says (its serializer falls back to application/json), so a
 * client sending Accept: text/html gets JSON rather than a 406.
 */
@Configuration(proxyBeanMethods = false)
public class JsonOnlyWebConfiguration implements WebMvcConfigurer {

    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON);
    }
}
