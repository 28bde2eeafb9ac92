package org.trovej.taskmanager.backup;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.trovej.service.objectstore.StoreTokens;

/**
 * Backups' settings, and the object store grants the task manager hands to guests. {@link StoreTokens} is imported,
 * as the API's object store imports it: in the all-in-one both imports name one bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BackupProperties.class, ObjectStoreProperties.class})
@Import(StoreTokens.class)
public class BackupConfiguration {
}
