package org.trovej.api.objectstore;

import java.nio.file.Path;
import java.time.Clock;

import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.trovej.api.auth.AuthStrategy;
import org.trovej.service.objectstore.StoreTokens;

/**
 * The local object store served by trove-api. {@link StoreTokens} is imported rather than scanned: the task
 * manager imports the same class to mint the grants this store checks, and one import of a class is one bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObjectStoreProperties.class)
@Import(StoreTokens.class)
public class ObjectStoreConfiguration {

    @Bean
    public StoreDirectory storeDirectory(ObjectStoreProperties properties, Environment environment) {
        // the same default state directory as the all-in-one's embedded database and the local back end
        Path dir = properties.dir() != null ? properties.dir()
                : Path.of(environment.getProperty("trovej.state-dir", ".trovej")).resolve("objects");
        StoreDirectory directory = new StoreDirectory(dir);
        LoggerFactory.getLogger(ObjectStoreConfiguration.class).info("Local object store: objects in {}",
                directory.root());
        return directory;
    }

    @Bean
    public LocalObjectStore localObjectStore(StoreDirectory directory) {
        return new LocalObjectStore(directory, Clock.systemUTC());
    }

    @Bean
    public StoreAccess storeAccess(StoreTokens tokens, AuthStrategy strategy) {
        return new StoreAccess(tokens, strategy);
    }
}
