package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 18: the machine's RabbitMQ stopped and started again under a running all-in-one (its broker, on a vhost of
 * its own) with an ACTIVE PostgreSQL instance whose guest heartbeats through it. While the broker is down, reads
 * answer from the database, and writes that need the task manager or a guest answer a Trove-style 503 at once,
 * with nothing changed; once it is back the services and the guest reconnect by themselves, the heartbeats resume
 * and an action runs to its end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RabbitMqRestartTest {

    private static final String PROJECT = "broker-restart";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String vhost = "trovej-restart-" + UUID.randomUUID().toString().substring(0, 8);
    private AllInOneUnderTest trovej;
    private CliInstances instances;

    @BeforeAll
    void start() throws Exception {
        OpenStackCli.requireInstalled();
        assertThat(rabbitmqctl("add_vhost", vhost)).as("rabbitmqctl (scripts/ensure-services installs RabbitMQ)")
                .isTrue();
        assertThat(rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")).isTrue();
        trovej = AllInOneUnderTest.start("trovej-broker-restart",
                "--trovej.rpc.amqp-uri=amqp://guest:guest@127.0.0.1:5672/" + vhost);
        instances = new CliInstances(trovej.cli(PROJECT), Duration.ofMinutes(3));
    }

    @AfterAll
    void stop() throws Exception {
        rabbitmqctl("start_app"); // whatever happened, the machine's broker runs again
        try {
            if (instances != null) {
                instances.deleteAll();
            }
        } finally {
            if (trovej != null) {
                trovej.close();
            }
            rabbitmqctl("delete_vhost", vhost);
        }
    }

    @Test
    void writesAnswer503AndChangeNothingWhileRabbitMqIsDownAndEverythingResumesAfter() throws Exception {
        String id = instances.create("steady", "postgresql");
        instances.awaitActive(id);
        JdbcTemplate jdbc = trovej.context().getBean(JdbcTemplate.class);
        String api = trovej.api(PROJECT);
        int before = jdbc.queryForObject("SELECT count(*) FROM instances", Integer.class);

        assertThat(rabbitmqctl("stop_app")).isTrue();
        LocalDateTime restarted;
        try {
            await("the broker connection is seen down", Duration.ofSeconds(30),
                    () -> health().path("components").path("broker").path("status").asText().equals("DOWN"));
            assertThat(health("/readiness").path("status").asText()).isNotEqualTo("UP");

            HttpResponse<String> shown = send("GET", api + "/instances/" + id, null);
            assertThat(shown.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(shown.body()).path("instance").path("status").asText()).isEqualTo("ACTIVE");

            long t0 = System.nanoTime();
            HttpResponse<String> create = send("POST", api + "/instances", """
                    {"instance": {"name": "during-outage", "flavorRef": "d2", "volume": {"size": 1},
                                  "datastore": {"type": "postgresql"}}}""");
            HttpResponse<String> restart = send("POST", api + "/instances/" + id + "/action", "{\"restart\": {}}");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("answered at once")
                    .isLessThan(Duration.ofSeconds(5));
            for (HttpResponse<String> refused : java.util.List.of(create, restart)) {
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(JSON.readTree(refused.body()).path("serviceUnavailable").path("message").asText())
                        .contains("message broker is unreachable").contains("nothing was changed");
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM instances", Integer.class)).isEqualTo(before);
            assertThat(instances.show(id).path("status").asText()).isEqualTo("ACTIVE");
        } finally {
            assertThat(rabbitmqctl("start_app")).isTrue();
            restarted = LocalDateTime.now(ZoneOffset.UTC);
        }

        await("ready again", Duration.ofSeconds(60), () -> "UP".equals(health("/readiness").path("status").asText()));
        // the guest reconnected by itself: a heartbeat sent after the restart was applied
        await("a heartbeat after the restart", Duration.ofSeconds(60), () -> {
            JsonNode shown = JSON.readTree(send("GET", api + "/instances/" + id, null).body()).path("instance");
            return LocalDateTime.parse(shown.path("service_status_updated").asText()).isAfter(restarted)
                    && "HEALTHY".equals(shown.path("operating_status").asText());
        });
        // and the task manager and the guest take work again
        HttpResponse<String> restart = send("POST", api + "/instances/" + id + "/action", "{\"restart\": {}}");
        assertThat(restart.statusCode()).as(restart.body()).isEqualTo(202);
        instances.awaitActive(id);
    }

    private JsonNode health() throws IOException, InterruptedException {
        return health("");
    }

    private JsonNode health(String group) throws IOException, InterruptedException {
        return JSON.readTree(send("GET", "http://127.0.0.1:" + trovej.managementPort() + "/actuator/health" + group,
                null).body());
    }

    private HttpResponse<String> send(String method, String url, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.done()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static boolean rabbitmqctl(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "rabbitmqctl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
