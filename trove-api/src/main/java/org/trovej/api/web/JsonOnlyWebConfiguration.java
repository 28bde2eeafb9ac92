package org.trovej.api.web;

import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Trove answers JSON whatever the Accept header says (its serializer falls back to application/json), so a
 * client sending Accept: text/html gets JSON rather than a 406. A request body is one JSON value and nothing after
 * it, as Python's json.loads reads it: Jackson would otherwise take {@code {...}x} for {@code {...}}.
 */
@Configuration(proxyBeanMethods = false)
public class JsonOnlyWebConfiguration implements WebMvcConfigurer {

    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON);
    }

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        for (HttpMessageConverter<?> converter : converters) {
            if (converter instanceof MappingJackson2HttpMessageConverter json) {
                json.setObjectMapper(json.getObjectMapper().copy()
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
            }
        }
    }
}
