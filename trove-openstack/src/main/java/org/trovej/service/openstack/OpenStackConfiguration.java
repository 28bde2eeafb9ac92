package org.trovej.service.openstack;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.service.flavor.FlavorConfiguration;

/**
 * The cloud connection shared by the API (flavors from Nova) and the task manager (servers, volumes, ports),
 * with {@code trovej.compute.backend=openstack}.
 */
@AutoConfiguration(before = FlavorConfiguration.class)
@ConditionalOnProperty(name = "trovej.compute.backend", havingValue = "openstack")
@EnableConfigurationProperties(OpenStackProperties.class)
public class OpenStackConfiguration {

    @Bean
    public OpenStackSession openStackSession(OpenStackProperties properties) {
        return new OpenStackSession(properties);
    }

    @Bean
    public CloudCalls cloudCalls(OpenStackSession session, OpenStackProperties properties) {
        return new CloudCalls(session, properties);
    }

    /** Which Swift account and token backups (task manager) and guest logs (API) use. */
    @Bean
    public SwiftAccounts swiftAccounts(OpenStackSession session, Environment environment) {
        return new SwiftAccounts(session, environment.getProperty("trovej.object-store.url"));
    }

    @Bean
    public FlavorCatalog novaFlavorCatalog(CloudCalls cloud, OpenStackProperties properties) {
        return new NovaFlavorCatalog(cloud, properties, Clock.systemUTC());
    }
}
