package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.trovej.testsupport.CliCommand;

/**
 * The embedded default as a user meets it: the all-in-one on embedded PostgreSQL and broker with the local
 * back end, driven by Debian's real {@code openstack database ...} commands. A PostgreSQL instance comes up,
 * serves its user, restarts, resizes, survives a dead database being reported, and is deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenStackCliTest {

    private static final String PROJECT = "acceptance";
    private static final Duration BUILD = Duration.ofMinutes(3);

    /** One all-in-one and state directory for the whole class (a @TempDir field would be one per test). */
    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;
    private String api;
    private String instanceId;
    private String address;

    @BeforeAll
    void start() {
        OpenStackCli.requireInstalled();
        trovej = AllInOneUnderTest.start("trovej-acceptance");
        api = trovej.api(PROJECT);
        cli = new OpenStackCli(api);
        instances = new CliInstances(cli, BUILD);
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            trovej.close(); // powers every local instance off
        }
    }

    @Test
    @Order(1)
    void catalogCommands() {
        JsonNode flavors = cli.run("database", "flavor", "list", "-f", "json").ok().json();
        assertThat(flavors.findValuesAsText("Name")).contains("m1.tiny", "ds512M", "ds1G");
        JsonNode datastores = cli.run("datastore", "list", "-f", "json").ok().json();
        assertThat(datastores.findValuesAsText("Name")).contains("postgresql");
        JsonNode versions = cli.run("datastore", "version", "list", "postgresql", "-f", "json").ok().json();
        assertThat(versions).isNotEmpty();
    }

    @Test
    @Order(2)
    void createReachesActiveHealthyAndServesItsUser() throws Exception {
        JsonNode created = cli.run("database", "instance", "create", "acc-db", "--flavor", "ds512M", "--size", "1",
                "--datastore", "postgresql", "--databases", "appdb", "--users", "appuser:App-Pass-1",
                "-f", "json").ok().json();
        instanceId = created.get("id").asText();
        assertThat(created.get("status").asText()).isEqualTo("BUILD");
        assertThat(created.toString()).doesNotContain("App-Pass-1");

        JsonNode shown = instances.awaitActive(instanceId);
        address = CliInstances.address(shown);
        assertThat(address).matches("127\\.\\d+\\.\\d+\\.\\d+").isNotEqualTo("127.0.0.1");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + address + ":5432/appdb",
                "appuser", "App-Pass-1"); ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("appuser");
        }
        // and with the real psql client, as a user would
        assertThat(DatabaseClients.psqlAs(address, DatabaseClients.APP,
                "SELECT current_user || '@' || current_database()").output()).isEqualTo("appuser@appdb");
        DatabaseClients.Outcome refused = DatabaseClients.psqlAs(address,
                new DatabaseClients.Login("appuser", "wrong", "appdb"), "SELECT 1");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("password authentication failed");
        JsonNode listed = cli.run("database", "instance", "list", "-f", "json").ok().json();
        assertThat(listed.findValuesAsText("ID")).contains(instanceId);
    }

    @Test
    @Order(3)
    void restartAndResize() {
        cli.run("database", "instance", "restart", instanceId).ok();
        instances.awaitActive(instanceId);
        cli.run("database", "instance", "resize", "flavor", instanceId, "ds1G").ok();
        JsonNode resized = instances.await(instanceId, s -> "ACTIVE".equals(s.path("status").asText())
                && "HEALTHY".equals(s.path("operating_status").asText())
                && "d2".equals(flavorId(s)));
        assertThat(flavorId(resized)).isEqualTo("d2");
        cli.run("database", "instance", "resize", "volume", instanceId, "2").ok();
        JsonNode grown = instances.await(instanceId, s -> "ACTIVE".equals(s.path("status").asText())
                && volumeSize(s) == 2);
        assertThat(volumeSize(grown)).isEqualTo(2);
    }

    @Test
    @Order(4)
    void aCreateWithABadFlavorIs400AndLeavesNothing() throws Exception {
        JdbcTemplate jdbc = trovej.context().getBean(JdbcTemplate.class);
        Integer before = jdbc.queryForObject("SELECT count(*) FROM instances", Integer.class);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(api + "/instances")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"instance\": {\"name\": \"bad\", \"flavorRef\": "
                        + "\"no-such-flavor\", \"volume\": {\"size\": 1}, \"datastore\": {\"type\": \"postgresql\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"badRequest\"");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM instances", Integer.class)).isEqualTo(before);
        // and the CLI refuses a flavor it cannot find
        CliCommand.Result cliResult = cli.run("database", "instance", "create", "bad2", "--flavor", "nope",
                "--size", "1", "--datastore", "postgresql");
        assertThat(cliResult.exitCode()).isNotZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM instances", Integer.class)).isEqualTo(before);
    }

    @Test
    @Order(5)
    void aDatabaseThatDiesIsStartedAgainAndShowSaysSo() throws Exception {
        // the database process dies (not through the API): the guest starts it again and reports why
        Path pidFile = trovej.stateDir().resolve("instances").resolve(instanceId)
                .resolve("volume/data/postmaster.pid");
        long postmaster = Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).trim());
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::destroyForcibly)).contains(true);
        JsonNode back = instances.await(instanceId, s -> s.toString().contains("The database stopped unexpectedly")
                && "HEALTHY".equals(s.path("operating_status").asText()));
        assertThat(back.toString()).contains("The database stopped unexpectedly and was started again");
        assertThat(back.path("operating_status").asText()).as(back.toString()).isEqualTo("HEALTHY");
        long restarted = Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).trim());
        assertThat(restarted).isNotEqualTo(postmaster);
    }

    @Test
    @Order(6)
    void deleteRemovesTheServerAndItsData() throws Exception {
        cli.run("database", "instance", "delete", instanceId).ok();
        long deadline = System.nanoTime() + BUILD.toNanos();
        CliCommand.Result show = cli.run("database", "instance", "show", instanceId);
        while (show.exitCode() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            show = cli.run("database", "instance", "show", instanceId);
        }
        assertThat(show.exitCode()).as("instance gone: " + show.stdout()).isNotZero();
        assertThat(listening(address)).isFalse();
        assertThat(trovej.stateDir().resolve("instances").resolve(instanceId)).doesNotExist();
    }

    private static String flavorId(JsonNode shown) {
        JsonNode flavor = shown.path("flavor");
        return flavor.isTextual() ? flavor.asText() : flavor.path("id").asText();
    }

    private static int volumeSize(JsonNode shown) {
        JsonNode volume = shown.path("volume");
        if (volume.isNumber() || volume.isTextual()) {
            return volume.asInt();
        }
        return volume.path("size").asInt(shown.path("size").asInt());
    }

    private static boolean listening(String host) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, 5432), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
