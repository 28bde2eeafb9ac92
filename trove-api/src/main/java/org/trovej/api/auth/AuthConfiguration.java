package org.trovej.api.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the {@link AuthStrategy} named by {@code trovej.auth.strategy}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AuthProperties.class, KeystoneProperties.class, PolicyProperties.class})
public class AuthConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

    @Bean
    public AuthStrategy authStrategy(AuthProperties properties, KeystoneProperties keystone, Policy policy) {
        if ("keystone".equals(properties.strategy())) {
            keystone.requireComplete();
            log.info("Authentication: Keystone tokens validated at {} as {} (project {}), answers cached {}",
                    keystone.identityUrl(), keystone.username(), keystone.projectName(), keystone.cacheTime());
            KeystoneTokenValidator validator = new KeystoneTokenValidator(new KeystoneClient(keystone),
                    keystone.cacheTime(), keystone.cacheSize());
            return new KeystoneAuthStrategy(validator, policy, keystone.challengeUri());
        }
        log.warn("*******************************************************************************");
        log.warn("* AUTHENTICATION IS DISABLED (trovej.auth.strategy=noauth): any caller can act *");
        log.warn("* in any project, and X-Roles: admin makes it an admin. Never expose this API. *");
        log.warn("*******************************************************************************");
        return new NoAuthStrategy(policy);
    }
}
