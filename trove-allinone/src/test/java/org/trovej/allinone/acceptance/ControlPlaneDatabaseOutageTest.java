package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.trovej.common.rpc.RpcServer;
import org.trovej.embedded.EmbeddedPostgresServer;

/**
 * The control plane's PostgreSQL stops under a running all-in-one and starts again: meanwhile the API answers a
 * Trove-style 503 within a bounded time (never hangs, never a 500) and a create is refused with nothing written;
 * afterwards the API answers again by itself, and the instance, whose guest kept reporting through the outage,
 * shows ACTIVE and HEALTHY again. The conductor dropped none of the heartbeats it could not write meanwhile: they
 * went back on the queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlaneDatabaseOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** spring.datasource.hikari.connection-timeout (5 s) and room for a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AllInOneUnderTest trovej;
    private Process restarted;
    private String api;

    @BeforeAll
    void start() {
        trovej = AllInOneUnderTest.start("trovej-db-outage");
        api = trovej.api("outage");
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            trovej.close();
        }
        if (restarted != null && restarted.isAlive()) {
            restarted.destroy(); // the context's close stops it first (pg_ctl stop on the same data directory)
        }
    }

    @Test
    void theApiAnswers503WhileItsDatabaseIsDownAndRecoversByItself() throws Exception {
        HttpResponse<String> created = send("POST", "/instances", """
                {"instance": {"name": "steady", "flavorRef": "d1", "volume": {"size": 1},
                 "datastore": {"type": "postgresql"}}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = JSON.readTree(created.body()).at("/instance/id").asText();
        awaitActiveHealthy(id, Duration.ofMinutes(3));

        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger rpc = (Logger) LoggerFactory.getLogger(RpcServer.class);
        rpc.addAppender(logs);
        EmbeddedPostgresServer postgres = trovej.context().getBean(EmbeddedPostgresServer.class);
        int port = postgres.port();
        Path dataDir = trovej.stateDir().resolve("postgres");
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        List<String> command = postmasterCommand(dataDir.resolve("postmaster.opts"));
        // a fast shutdown, as an operator's restart does (a smart one would wait for the pool's connections)
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(postmaster)).start().waitFor()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (listening(port)) {
            assertThat(System.nanoTime()).as("PostgreSQL still listening").isLessThan(deadline);
            Thread.sleep(100);
        }

        for (String[] request : new String[][] {{"GET", "/instances/" + id, null}, {"GET", "/instances", null},
                {"POST", "/instances", "{\"instance\": {\"name\": \"refused\", \"flavorRef\": \"d1\","
                        + " \"volume\": {\"size\": 1}, \"datastore\": {\"type\": \"postgresql\"}}}"}}) {
            long started = System.nanoTime();
            HttpResponse<String> answer = send(request[0], request[1], request[2]);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(answer.statusCode()).as(request[0] + " " + request[1] + ": " + answer.body()).isEqualTo(503);
            assertThat(JSON.readTree(answer.body()).at("/serviceUnavailable/code").asInt()).isEqualTo(503);
            assertThat(took).as(request[0] + " " + request[1] + " answered within the bound").isLessThan(BOUND);
        }
        Thread.sleep(4_000); // two report intervals of heartbeats while the database is away

        // the same server binary, options and data directory, as the embedded server runs it (in a user
        // namespace: PostgreSQL refuses to run as root)
        List<String> again = new ArrayList<>(List.of("unshare", "-U"));
        again.addAll(command);
        restarted = new ProcessBuilder(again).redirectErrorStream(true)
                .redirectOutput(trovej.stateDir().resolve("postgres-restarted.log").toFile()).start();
        long back = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> list = send("GET", "/instances", null);
        while (list.statusCode() != 200) {
            assertThat(System.nanoTime()).as("the API still answers " + list.statusCode() + ": " + list.body())
                    .isLessThan(back);
            Thread.sleep(250);
            list = send("GET", "/instances", null);
        }
        assertThat(JSON.readTree(list.body()).path("instances").findValuesAsText("name"))
                .as("the create refused during the outage wrote nothing").containsExactly("steady");
        awaitActiveHealthy(id, Duration.ofSeconds(30));
        Thread.sleep(3_000); // the heartbeats put back on the queue come round again
        rpc.detachAppender(logs);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .as("messages the conductor dropped while its database was away").noneMatch(m -> m.contains("dropped"));
        assertThat(send("DELETE", "/instances/" + id, null).statusCode()).isEqualTo(202);
    }

    private void awaitActiveHealthy(String id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode shown = JSON.readTree(send("GET", "/instances/" + id, null).body()).path("instance");
        while (!("ACTIVE".equals(shown.path("status").asText())
                && "HEALTHY".equals(shown.path("operating_status").asText()))) {
            assertThat(System.nanoTime()).as("not ACTIVE and HEALTHY: " + shown).isLessThan(deadline);
            Thread.sleep(500);
            shown = JSON.readTree(send("GET", "/instances/" + id, null).body()).path("instance");
        }
    }

    /** What PostgreSQL wrote of its own command line: the binary, then each argument in double quotes. */
    private static List<String> postmasterCommand(Path opts) throws java.io.IOException {
        String line = Files.readString(opts).strip();
        List<String> command = new ArrayList<>(List.of(line.substring(0, line.indexOf(' '))));
        Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(line);
        while (quoted.find()) {
            command.add(quoted.group(1));
        }
        return command;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
