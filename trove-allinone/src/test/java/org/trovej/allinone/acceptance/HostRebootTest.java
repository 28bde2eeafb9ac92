package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.trovej.allinone.AllInOneApplication;

/**
 * {@code scripts/trovej down} then {@code up}: the instances that existed come back like VMs after a host
 * reboot — powered off with TroveJ, powered on again with it, HEALTHY, data intact.
 */
class HostRebootTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Path stateDir;
    private ConfigurableApplicationContext trovej;

    @AfterEach
    void cleanUp() {
        if (trovej != null) {
            trovej.close();
        }
        if (stateDir != null) {
            FileSystemUtils.deleteRecursively(stateDir.toFile());
        }
    }

    @Test
    void instancesComeBackHealthyAfterDownAndUp() throws Exception {
        stateDir = Files.createTempDirectory("trovej-reboot",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        // fixed ports, as scripts/trovej uses: the guests' injected config names the broker's port
        int postgresPort = freePort();
        int amqpPort = freePort();
        trovej = start(postgresPort, amqpPort);
        String api = api(trovej);
        JsonNode created = post(api + "/instances", """
                {"instance": {"name": "survivor", "flavorRef": "d1", "volume": {"size": 1},
                 "datastore": {"type": "postgresql"}, "databases": [{"name": "keep"}],
                 "users": [{"name": "keeper", "password": "Keep-Pass-1", "databases": [{"name": "keep"}]}]}}""");
        String id = created.path("instance").path("id").asText();
        JsonNode healthy = awaitHealthy(api, id);
        String address = healthy.path("instance").path("addresses").get(0).path("address").asText();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + address + ":5432/keep", "keeper",
                "Keep-Pass-1")) {
            c.createStatement().execute("CREATE TABLE kept AS SELECT 42 AS answer");
        }

        trovej.close(); // trovej down: every instance is powered off
        trovej = null;
        assertThat(canConnect(address)).as("the instance's database went down with TroveJ").isFalse();

        trovej = start(postgresPort, amqpPort); // trovej up
        awaitHealthy(api(trovej), id);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + address + ":5432/keep", "keeper",
                "Keep-Pass-1"); ResultSet rs = c.createStatement().executeQuery("SELECT answer FROM kept")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    private ConfigurableApplicationContext start(int postgresPort, int amqpPort) {
        return AllInOneApplication.application().run(
                "--server.port=0",
                "--management.server.port=0",
                "--trovej.state-dir=" + stateDir,
                "--trovej.embedded.postgres-port=" + postgresPort,
                "--trovej.embedded.amqp-port=" + amqpPort,
                "--trovej.local.report-interval=2s");
    }

    private static String api(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + ((ServletWebServerApplicationContext) context).getWebServer().getPort()
                + "/v1.0/reboot-project";
    }

    private JsonNode awaitHealthy(String api, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode shown = get(api + "/instances/" + id);
        while (System.nanoTime() < deadline && !("ACTIVE".equals(shown.path("instance").path("status").asText())
                && "HEALTHY".equals(shown.path("instance").path("operating_status").asText()))) {
            assertThat(shown.path("instance").path("status").asText()).as(shown.toString()).isNotEqualTo("ERROR");
            Thread.sleep(500);
            shown = get(api + "/instances/" + id);
        }
        assertThat(shown.path("instance").path("operating_status").asText()).as(shown.toString()).isEqualTo("HEALTHY");
        return shown;
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static boolean canConnect(String address) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + address + ":5432/keep?connectTimeout=2",
                "keeper", "Keep-Pass-1")) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
