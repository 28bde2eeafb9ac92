package org.trovej.api.log;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.trovej.service.objectstore.StoreTokens;
import org.trovej.service.openstack.SwiftAccounts;

/** The guest log store of the configured back end. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GuestLogProperties.class)
public class GuestLogConfiguration {

    @Bean
    @ConditionalOnProperty(name = "trovej.compute.backend", havingValue = "local", matchIfMissing = true)
    public GuestLogStore localGuestLogStore(StoreTokens tokens, Environment environment,
                                            GuestLogProperties properties) {
        return new LocalGuestLogStore(tokens, environment, properties);
    }

    @Bean
    @ConditionalOnProperty(name = "trovej.compute.backend", havingValue = "openstack")
    public GuestLogStore swiftGuestLogStore(SwiftAccounts accounts) {
        return new SwiftGuestLogStore(accounts);
    }
}
