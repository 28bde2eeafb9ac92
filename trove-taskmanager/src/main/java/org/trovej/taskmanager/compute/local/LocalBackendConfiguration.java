package org.trovej.taskmanager.compute.local;

import java.nio.file.Path;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The local back end ({@code trovej.compute.backend=local}, the default): guest agent processes on this host
 * as servers, directories as volumes, loopback addresses as networks.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "trovej.compute.backend", havingValue = "local", matchIfMissing = true)
@EnableConfigurationProperties(LocalProperties.class)
public class LocalBackendConfiguration {

    @Bean
    public LocalLayout localLayout(LocalProperties properties, Environment environment) {
        Path stateDir = properties.stateDir() != null ? properties.stateDir()
                : Path.of(environment.getProperty("trovej.state-dir", ".trovej"));
        return new LocalLayout(stateDir);
    }

    @Bean
    public PostgresInstallations postgresInstallations(LocalProperties properties, LocalLayout layout) {
        return new PostgresInstallations(properties, layout);
    }

    @Bean
    public GuestProcesses guestProcesses(LocalLayout layout, LocalProperties properties) {
        return new GuestProcesses(layout, properties,
                new GuestAgentJar(properties.guestAgentJar(), layout.stateDir().resolve("guest-agent")));
    }

    @Bean
    public LocalComputeDriver localComputeDriver(LocalLayout layout, LocalProperties properties,
                                                 PostgresInstallations installations, GuestProcesses guests) {
        return new LocalComputeDriver(layout, properties, installations, guests);
    }

    @Bean
    public LocalVolumeDriver localVolumeDriver(LocalLayout layout, LocalProperties properties) {
        return new LocalVolumeDriver(layout, properties);
    }

    @Bean
    public LocalNetworkDriver localNetworkDriver(JdbcTemplate jdbc, LocalProperties properties) {
        return new LocalNetworkDriver(jdbc, properties);
    }

    @Bean
    public LocalDatastoreRegistrar localDatastoreRegistrar(JdbcTemplate jdbc, TransactionTemplate tx,
                                                           PostgresInstallations installations) {
        return new LocalDatastoreRegistrar(jdbc, tx, installations);
    }

    @Bean
    public LocalHostPower localHostPower(JdbcTemplate jdbc, LocalComputeDriver compute,
                                         LocalDatastoreRegistrar registrar) {
        return new LocalHostPower(jdbc, compute, registrar);
    }
}
