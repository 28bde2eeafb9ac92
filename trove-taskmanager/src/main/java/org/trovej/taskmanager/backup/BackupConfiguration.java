package org.trovej.taskmanager.backup;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.trovej.service.objectstore.StoreTokens;
import org.trovej.service.openstack.SwiftAccounts;

/**
 * Backups' settings, and the object store of the back end: TroveJ's local store (the local back end) or the cloud's
 * Swift (the openstack back end). {@link StoreTokens} is imported, as the API's object store imports it: in the
 * all-in-one both imports name one bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BackupProperties.class, ObjectStoreProperties.class})
@Import(StoreTokens.class)
public class BackupConfiguration {

    @Bean
    @ConditionalOnProperty(name = "trovej.compute.backend", havingValue = "local", matchIfMissing = true)
    public LocalObjectStoreAccounts localObjectStoreAccounts(ObjectStoreProperties properties, BackupProperties backups,
                                                             StoreTokens tokens, Environment environment) {
        return new LocalObjectStoreAccounts(properties, backups, tokens, environment);
    }

    @Bean
    @ConditionalOnProperty(name = "trovej.compute.backend", havingValue = "openstack")
    public SwiftObjectStoreAccounts swiftObjectStoreAccounts(SwiftAccounts accounts) {
        return new SwiftObjectStoreAccounts(accounts);
    }
}
