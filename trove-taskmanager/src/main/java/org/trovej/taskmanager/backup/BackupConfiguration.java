package org.trovej.taskmanager.backup;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.trovej.service.TroveProperties;
import org.trovej.service.objectstore.StoreTokens;

/** Backups' settings, and the object store grants the task manager hands to guests. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BackupProperties.class, ObjectStoreProperties.class})
public class BackupConfiguration {

    /** The grants; in the all-in-one the object store's own instance when the API side has made one already. */
    @Bean
    @ConditionalOnMissingBean(StoreTokens.class)
    public StoreTokens storeTokens(TroveProperties properties) {
        return new StoreTokens(properties);
    }
}
