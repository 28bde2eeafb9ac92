package org.trovej.allinone.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.embedded.EmbeddedAmqpBroker;
import org.trovej.embedded.EmbeddedPostgresServer;

/**
 * The zero set-up default: before the context refreshes, starts PostgreSQL (data in
 * {@code ${trovej.state-dir}/postgres}, kept across restarts) and an in-process AMQP broker for whatever the
 * user has not pointed elsewhere, and hands their addresses to the services at the highest precedence.
 * Setting {@code spring.datasource.url} (SPRING_DATASOURCE_URL) keeps PostgreSQL external; setting
 * {@code trovej.rpc.amqp-uri} (TROVEJ_RPC_AMQP_URI) keeps the broker external.
 *
 * <p>Both servers are registered as singletons with destruction callbacks, and the data source and the RPC
 * transport are made to depend on them: Spring then destroys the users first and the servers last, which a
 * ContextClosedEvent listener could not guarantee (it fires before any bean is stopped).
 */
public class EmbeddedInfrastructure implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String POSTGRES_BEAN = "trovejEmbeddedPostgres";
    public static final String BROKER_BEAN = "trovejEmbeddedAmqpBroker";
    static final String PROPERTY_SOURCE = "trovej-embedded";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

    /** TroveDefaults' source: its spring.datasource.url is a default, not the user's choice. */
    private static final String TROVE_DEFAULTS_SOURCE = "trovej-defaults";
    private static final String DATASOURCE_URL = "spring.datasource.url";
    private static final String AMQP_URI = "trovej.rpc.amqp-uri";
    private static final String AMQP_USER = "guest";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        Binder binder = Binder.get(environment);
        EmbeddedSettings settings = binder.bindOrCreate("trovej.embedded", EmbeddedSettings.class);
        if (!settings.enabled()) {
            return;
        }
        Path stateDir = binder.bind("trovej.state-dir", Path.class).orElse(Path.of(".trovej"))
                .toAbsolutePath().normalize();
        boolean ownDatabase = !configured(environment, DATASOURCE_URL);
        boolean ownBroker = !configured(environment, AMQP_URI);
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        Map<String, Object> injected = new LinkedHashMap<>();
        List<AutoCloseable> started = new ArrayList<>();
        String brokerAddress = null;
        try {
            if (ownDatabase) {
                requireFreePort("127.0.0.1", settings.postgresPort(), "trovej.embedded.postgres-port");
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(
                        Files.createDirectories(stateDir.resolve("postgres")), settings.postgresPort());
                started.add(postgres);
                createDatabaseIfMissing(postgres, settings.database());
                register(beanFactory, POSTGRES_BEAN, postgres, () -> {
                    postgres.close();
                    log.info("Embedded PostgreSQL on 127.0.0.1:{} stopped", postgres.port());
                });
                injected.put(DATASOURCE_URL, postgres.jdbcUrl(settings.database()));
                injected.put("spring.datasource.username", postgres.user());
                injected.put("spring.datasource.password", postgres.password());
            } else {
                log.info("{} is set: using that PostgreSQL, not an embedded one", DATASOURCE_URL);
            }
            if (ownBroker) {
                requireFreePort(settings.amqpHost(), settings.amqpPort(), "trovej.embedded.amqp-port");
                QpidUrlHandlers.register();
                EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(settings.amqpHost(), settings.amqpPort(),
                        AMQP_USER, AMQP_USER, Files.createDirectories(stateDir.resolve("amqp"))).start();
                started.add(broker);
                register(beanFactory, BROKER_BEAN, broker, broker::stop);
                injected.put(AMQP_URI, broker.uri());
                brokerAddress = broker.host() + ":" + broker.port();
            } else {
                log.info("{} is set: using that broker, not an embedded one", AMQP_URI);
            }
        } catch (IOException | RuntimeException e) {
            // the context never refreshed, so nothing would destroy what was started
            stopAll(started);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        if (!injected.isEmpty()) {
            addFirst(environment.getPropertySources(), new MapPropertySource(PROPERTY_SOURCE, injected));
            log.info("Embedded mode: state in {}{}{}", stateDir,
                    ownDatabase ? ", PostgreSQL " + injected.get(DATASOURCE_URL) : "",
                    ownBroker ? ", AMQP " + brokerAddress : "");
        }
        context.addBeanFactoryPostProcessor(new DependOnEmbeddedServers(ownDatabase, ownBroker));
    }

    /** Set by the user (any source but TroveDefaults' fallback), to something other than blank. */
    static boolean configured(ConfigurableEnvironment environment, String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.from(environment.getPropertySources())) {
            Object underlying = source.getUnderlyingSource();
            if (underlying instanceof PropertySource<?> ps && TROVE_DEFAULTS_SOURCE.equals(ps.getName())) {
                continue;
            }
            ConfigurationProperty value = source.getConfigurationProperty(name);
            if (value != null && value.getValue() != null && !value.getValue().toString().isBlank()) {
                return true;
            }
        }
        return false;
    }

    /** Right after Spring Boot's attached view of all sources, so that ours wins over every user source. */
    private static void addFirst(MutablePropertySources sources, PropertySource<?> source) {
        PropertySource<?> first = sources.stream().findFirst().orElse(null);
        if (first != null && ConfigurationPropertySources.isAttachedConfigurationPropertySource(first)) {
            sources.addAfter(first.getName(), source);
        } else {
            sources.addFirst(source);
        }
    }

    private static void register(ConfigurableListableBeanFactory beanFactory, String name, Object server,
                                 DisposableBean stop) {
        beanFactory.registerSingleton(name, server);
        ((DefaultSingletonBeanRegistry) beanFactory).registerDisposableBean(name, stop);
    }

    private static void createDatabaseIfMissing(EmbeddedPostgresServer postgres, String database) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(),
                postgres.password())) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + database); // an identifier checked by EmbeddedSettings
            }
            log.info("Created database {} in embedded PostgreSQL", database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + " in embedded PostgreSQL", e);
        }
    }

    /** A clear message now instead of a server that gives up after a timeout. */
    private static void requireFreePort(String host, int port, String property) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException(host + ":" + port + " is in use (another TroveJ running?); stop it or "
                    + "choose another port with " + property, e);
        }
    }

    private static void stopAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("could not stop {}: {}", started.get(i), e.toString());
            }
        }
    }

    /** Makes every DataSource / RpcTransport bean depend on the server it talks to. */
    private record DependOnEmbeddedServers(boolean database, boolean broker) implements BeanFactoryPostProcessor {

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            if (database) {
                dependOn(beanFactory, DataSource.class, POSTGRES_BEAN);
            }
            if (broker) {
                dependOn(beanFactory, RpcTransport.class, BROKER_BEAN);
            }
        }

        private static void dependOn(ConfigurableListableBeanFactory beanFactory, Class<?> type, String server) {
            for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
                if (!beanFactory.containsBeanDefinition(name)) {
                    continue;
                }
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                List<String> dependsOn = new ArrayList<>(definition.getDependsOn() == null ? List.of()
                        : Arrays.asList(definition.getDependsOn()));
                if (!dependsOn.contains(server)) {
                    dependsOn.add(server);
                    definition.setDependsOn(dependsOn.toArray(String[]::new));
                }
            }
        }
    }
}
