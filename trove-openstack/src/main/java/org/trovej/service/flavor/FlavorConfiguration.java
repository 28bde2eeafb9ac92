package org.trovej.service.flavor;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The configured flavor catalog, unless a back end (Nova) supplies its own. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FlavorSettings.class)
public class FlavorConfiguration {

    @Bean
    @ConditionalOnMissingBean(FlavorCatalog.class)
    public FlavorCatalog flavorCatalog(FlavorSettings settings) {
        return new ConfiguredFlavorCatalog(settings);
    }
}
