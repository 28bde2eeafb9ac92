package org.trovej.service.datastore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.trovej.common.datastore.ConfigTemplates;

/** One {@link ConfigTemplates} for every service in the JVM: the API and the task manager render the same text. */
@Configuration(proxyBeanMethods = false)
public class ConfigTemplatesConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ConfigTemplates configTemplates() {
        return new ConfigTemplates();
    }
}
