package org.trovej.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.ClassUtils;
import org.trovej.allinone.embedded.EmbeddedInfrastructure;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.conductor.ConductorServer;
import org.trovej.embedded.EmbeddedAmqpBroker;
import org.trovej.embedded.EmbeddedPostgresServer;

/**
 * The all-in-one as {@code scripts/trovej up} runs it: embedded PostgreSQL and broker in a state directory,
 * nothing from the machine, and the database still there after a restart.
 */
class AllInOneApplicationTest {

    @TempDir
    Path stateDir;

    @Test
    void embeddedModeStartsFromNothingAndKeepsItsDatabaseAcrossRestarts() throws Exception {
        String id = UUID.randomUUID().toString();
        EmbeddedPostgresServer postgres;
        EmbeddedAmqpBroker broker;
        try (ConfigurableApplicationContext first = start()) {
            postgres = first.getBean(EmbeddedInfrastructure.POSTGRES_BEAN, EmbeddedPostgresServer.class);
            broker = first.getBean(EmbeddedInfrastructure.BROKER_BEAN, EmbeddedAmqpBroker.class);
            assertServing(first);
            assertThat(first.getEnvironment().getProperty("spring.datasource.url"))
                    .isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/trove");
            assertThat(first.getEnvironment().getProperty("trovej.rpc.amqp-uri"))
                    .isEqualTo("amqp://guest:guest@127.0.0.1:" + broker.port() + "/");
            // the users of each server are destroyed before it
            assertThat(first.getBeanFactory().getDependentBeans(EmbeddedInfrastructure.POSTGRES_BEAN))
                    .contains("dataSource");
            assertThat(first.getBeanFactory().getDependentBeans(EmbeddedInfrastructure.BROKER_BEAN))
                    .contains("rpcTransport");
            first.getBean(JdbcTemplate.class).update("INSERT INTO datastores (id, name) VALUES (?, ?)", id,
                    "survivor-" + id);
        }
        assertThat(broker.isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", postgres.port()), 1000))
                .as("embedded PostgreSQL stopped with the context").isInstanceOf(IOException.class);

        try (ConfigurableApplicationContext second = start()) {
            assertServing(second);
            assertThat(second.getBean(JdbcTemplate.class)
                    .queryForList("SELECT name FROM datastores WHERE id = ?", String.class, id))
                    .containsExactly("survivor-" + id);
        }
    }

    private ConfigurableApplicationContext start() {
        return AllInOneApplication.application().run(
                "--server.port=0",
                "--management.server.port=0",
                "--trovej.state-dir=" + stateDir,
                "--trovej.embedded.postgres-port=0",
                "--trovej.embedded.amqp-port=0");
    }

    private static void assertServing(ConfigurableApplicationContext context) throws Exception {
        int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"v1.0\"", "\"href\":\"http://127.0.0.1:" + port + "/v1.0/\"");

        assertThat(context.getBean(ConductorServer.class).isRunning()).as("conductor consuming").isTrue();
        assertThat(context.getBean(ConductorServer.class).server()).isNotNull();

        // one of each shared piece, and no TroveJ bean defined twice by the overlapping scans
        for (Class<?> shared : List.of(DataSource.class, RpcTransport.class, RpcClient.class)) {
            assertThat(context.getBeanNamesForType(shared)).as(shared.getName()).hasSize(1);
        }
        Map<String, List<String>> namesByType = new TreeMap<>();
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = context.getType(name);
            if (type != null && type.getName().startsWith("org.trovej.")) {
                namesByType.computeIfAbsent(ClassUtils.getUserClass(type).getName(), t -> new java.util.ArrayList<>())
                        .add(name);
            }
        }
        assertThat(namesByType).isNotEmpty().allSatisfy((type, names) -> assertThat(names).as(type).hasSize(1));
    }
}
