package org.trovej.api;

import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.trovej.api.backup.BackupProperties;
import org.trovej.api.limits.RateLimitProperties;

/**
 * The API's settings and persistence. Entities and repositories are named explicitly because in the all-in-one
 * the application class lives in another package, where Spring Boot's default scan would not find them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, RateLimitProperties.class,
        BackupProperties.class})
@EntityScan(basePackageClasses = ApiConfiguration.class)
@EnableJpaRepositories(basePackageClasses = ApiConfiguration.class)
public class ApiConfiguration {
}
