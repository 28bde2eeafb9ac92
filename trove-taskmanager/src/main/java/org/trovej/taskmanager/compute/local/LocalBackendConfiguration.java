package org.trovej.taskmanager.compute.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.trovej.taskmanager.datastore.DatastoreRecords;
import org.trovej.taskmanager.instance.InstanceRecords;

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
        List<String> databaseUsers = HostUsers.isRoot()
                ? List.of(properties.runAs(), properties.mariadbRunAs()) : List.of();
        Path stateDir = LocalStateDir.choose(properties.stateDir(),
                Path.of(environment.getProperty("trovej.state-dir", ".trovej")), databaseUsers,
                LocalStateDir.SHARED_ROOT);
        LoggerFactory.getLogger(LocalBackendConfiguration.class).info("Local back end: instances in {}",
                stateDir.resolve("instances"));
        return new LocalLayout(stateDir);
    }

    @Bean
    public PostgresInstallations postgresInstallations(LocalProperties properties) {
        return new PostgresInstallations(properties);
    }

    /** The engines this back end runs: PostgreSQL, and MariaDB (as {@code mariadb} and {@code mysql}). */
    @Bean
    public LocalEngines localEngines(LocalProperties properties, PostgresInstallations postgres) {
        return new LocalEngines(List.of(new PostgresEngine(properties, postgres), new MariaDbEngine(properties)));
    }

    @Bean
    public GuestProcesses guestProcesses(LocalLayout layout, LocalProperties properties, LocalEngines engines) {
        return new GuestProcesses(layout, properties,
                new GuestAgentJar(properties.guestAgentJar(), layout.stateDir().resolve("guest-agent")), engines);
    }

    @Bean
    public LocalComputeDriver localComputeDriver(LocalLayout layout, LocalProperties properties,
                                                 LocalEngines engines, GuestProcesses guests) {
        return new LocalComputeDriver(layout, properties, engines, guests);
    }

    @Bean
    public LocalVolumeDriver localVolumeDriver(LocalLayout layout, LocalProperties properties) {
        return new LocalVolumeDriver(layout, properties);
    }

    @Bean
    public LocalNetworkDriver localNetworkDriver(JdbcTemplate jdbc, InstanceRecords instances,
                                                 LocalProperties properties, LocalEngines engines) {
        return new LocalNetworkDriver(new LocalAddresses(jdbc), instances, properties, engines);
    }

    @Bean
    public LocalDatastoreRegistrar localDatastoreRegistrar(DatastoreRecords datastores, LocalEngines engines) {
        return new LocalDatastoreRegistrar(datastores, engines);
    }

    @Bean
    public GuestSupervisor guestSupervisor(InstanceRecords instances, LocalComputeDriver compute,
                                           GuestProcesses guests, LocalProperties properties) {
        return new GuestSupervisor(instances, compute, guests, properties.guestSupervision(), Duration.ofSeconds(60));
    }

    @Bean
    public LocalHostPower localHostPower(InstanceRecords instances, LocalComputeDriver compute,
                                         LocalDatastoreRegistrar registrar) {
        return new LocalHostPower(instances, compute, registrar);
    }
}
