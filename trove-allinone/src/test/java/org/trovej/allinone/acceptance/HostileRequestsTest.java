package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.trovej.testsupport.KeystoneFixture;

/**
 * A hostile client against the embedded default with an ACTIVE PostgreSQL instance, in noauth mode and in keystone
 * mode: 10,000 requests of {@link HostileRequests} together, a new seed each run (printed;
 * {@code -Dtrovej.hostile.seed=N} repeats one).
 * No answer is a 5xx; every error is a Trove-style JSON fault; every request that could change something is
 * refused; afterwards nothing changed — the instance, its databases, users and root on the guest, the project's
 * backups, configurations and quotas, the datastore versions and their parameters; the run's password is in no
 * response and in no log line of the control plane or of the guest.
 */
@ExtendWith(SharedAllInOne.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsTest {

    /** Per mode; {@code -Dtrovej.hostile.requests=N} runs more. */
    private static final int REQUESTS = Integer.getInteger("trovej.hostile.requests", 6_000);
    private static final int KEYSTONE_REQUESTS = Integer.getInteger("trovej.hostile.requests", 4_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    /** Where the requests go and how the test itself reads state (as the project's user, and as the admin). */
    private record Deployment(AllInOneUnderTest trovej, String project, Map<String, String> user,
                              String adminProject, Map<String, String> admin) {
        String api() {
            return "http://127.0.0.1:" + trovej.port() + "/v1.0/" + project;
        }

        String adminApi() {
            return "http://127.0.0.1:" + trovej.port() + "/v1.0/" + adminProject;
        }
    }

    private Deployment noauth;

    @BeforeAll
    void shared(AllInOneUnderTest trovej) {
        noauth = new Deployment(trovej, "hostile", Map.of(), "hostile", Map.of("X-Roles", "admin"));
    }

    @Test
    void noauth() throws Exception {
        run(noauth, HostileRequests.Credentials.noauth(), REQUESTS);
    }

    /**
     * The all-in-one in keystone mode with the real Keystone of scripts/keystone: alpha-user's token mostly, the
     * admin's, beta-user's (another project: nothing of alpha's may answer it), made-up tokens and none.
     */
    @Test
    void keystone() throws Exception {
        KeystoneFixture keystone = KeystoneFixture.start();
        KeystoneFixture.User service = keystone.user("trove");
        try (AllInOneUnderTest trovej = AllInOneUnderTest.start("trovej-hostile-keystone",
                "--trovej.auth.strategy=keystone",
                "--trovej.keystone.auth-url=" + keystone.authUrl(),
                "--trovej.keystone.username=" + service.name(),
                "--trovej.keystone.password=" + service.password(),
                "--trovej.keystone.project-name=" + service.project())) {
            KeystoneFixture.Token alpha = keystone.token("alpha-user");
            KeystoneFixture.Token adminToken = keystone.token("admin");
            String admin = adminToken.value();
            Deployment deployment = new Deployment(trovej, alpha.projectId(), Map.of("X-Auth-Token", alpha.value()),
                    adminToken.projectId(), Map.of("X-Auth-Token", admin));
            run(deployment, new HostileRequests.Credentials(alpha.value(), admin,
                    keystone.token("beta-user").value()), KEYSTONE_REQUESTS);
        }
    }

    private void run(Deployment deployment, HostileRequests.Credentials credentials, int count) throws Exception {
        HostileRequests.Targets targets = prepare(deployment);
        long seed = Long.getLong("trovej.hostile.seed", System.nanoTime());
        String password = "Hostile-" + Long.toHexString(seed) + "-Secret";
        String mode = credentials.keystone() ? "keystone" : "noauth";
        System.out.println("HostileRequestsTest " + mode + ": seed " + seed + " (-Dtrovej.hostile.seed=" + seed
                + " repeats it)");
        JsonNode before = snapshot(deployment, targets);
        HostileRequests requests = new HostileRequests(seed, targets, credentials, password);
        RawHttp client = new RawHttp(deployment.trovej().port());
        LogLines logs = LogLines.attach();
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                HostileRequest request = requests.next();
                RawHttp.Response response = client.exchange(request);
                statuses.merge(response.status(), 1, Integer::sum);
                String problem = problem(request, response, password);
                if (problem != null && failures.size() < 25) {
                    failures.add("#" + i + " " + problem + "\n    request " + request.describe() + "\n    answer "
                            + response.status() + " " + response.headers().get("content-type") + " "
                            + abbreviate(response.text()));
                }
            }
        } finally {
            logs.detach();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("HostileRequestsTest %s: %d requests in %.1f s; statuses %s%n", mode, count, seconds,
                statuses);
        String as = mode + ", seed " + seed;
        assertThat(failures).as(as).isEmpty();
        assertThat(snapshot(deployment, targets)).as(as + ": what the rejected requests must not have changed")
                .isEqualTo(before);
        assertThat(logs.containing(password)).as(as + ": log lines with the run's password").isEmpty();
        assertThat(guestLogFilesContaining(deployment.trovej().stateDir(), password))
                .as(as + ": guest logs with the password").isEmpty();
    }

    /** An ACTIVE PostgreSQL instance with a database and a user, and a configuration group, in the project. */
    private HostileRequests.Targets prepare(Deployment deployment) throws Exception {
        JsonNode created = send(deployment, "POST", "/instances", """
                {"instance": {"name": "target", "flavorRef": "d1", "volume": {"size": 1},
                 "datastore": {"type": "postgresql", "version": "15"}, "databases": [{"name": "keep_db"}],
                 "users": [{"name": "keeper", "password": "Keeper-Pass-1", "databases": [{"name": "keep_db"}]}]}}""",
                200);
        String instance = created.at("/instance/id").asText();
        String configuration = send(deployment, "POST", "/configurations", """
                {"configuration": {"name": "kept", "values": {"max_connections": 40},
                 "datastore": {"type": "postgresql", "version": "15"}}}""", 200).at("/configuration/id").asText();
        String version = send(deployment, "GET", "/datastores/postgresql/versions/15", null, 200)
                .at("/version/id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode shown = send(deployment, "GET", "/instances/" + instance, null, 200);
        while (!("ACTIVE".equals(shown.at("/instance/status").asText())
                && "HEALTHY".equals(shown.at("/instance/operating_status").asText()))) {
            assertThat(System.nanoTime()).as("instance not ACTIVE: " + shown).isLessThan(deadline);
            Thread.sleep(500);
            shown = send(deployment, "GET", "/instances/" + instance, null, 200);
        }
        return new HostileRequests.Targets(deployment.project(), instance, "keep_db", "keeper", "d1", "postgresql",
                version, "max_connections", configuration);
    }

    /** Null when the answer is right for the request. */
    private static String problem(HostileRequest request, RawHttp.Response response, String password) {
        int status = response.status();
        String body = response.text();
        // 501 is Trove's own answer where it implements nothing (GET /instances/{id}/databases/{name})
        boolean notImplemented = status == 501 && (request.method().equals("HEAD") && body.isEmpty()
                || body.startsWith("{\"notImplemented\":{\"code\":501,"));
        if (status >= 500 && !notImplemented) {
            return "a 5xx";
        }
        if (request.mustBeRefused() && (status < 400)) {
            return "accepted a request that must be refused";
        }
        if (body.contains(password)) {
            return "the run's password in the answer";
        }
        if (request.method().equals("HEAD") || body.isEmpty() && status < 400) {
            return null;
        }
        if (body.toLowerCase(java.util.Locale.ROOT).contains("<html")) {
            return "an HTML page";
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            return "not JSON";
        }
        if (status >= 400) {
            if (!String.valueOf(response.headers().get("content-type")).startsWith("application/json")) {
                return "a fault without Content-Type application/json";
            }
            if (parsed.path("code").asText().startsWith(status + " ") && parsed.path("title").isTextual()
                    && parsed.path("message").isTextual() && (status == 401 || status == 403 || status == 503)) {
                return null; // the authentication layer's refusal, in webob's shape as keystonemiddleware's is
            }
            if (!(parsed instanceof ObjectNode fault) || fault.size() != 1) {
                return "not a Trove fault (one key)";
            }
            JsonNode inner = fault.elements().next();
            if (inner.path("code").asInt() != status || !inner.path("message").isTextual()) {
                return "not a Trove fault ({\"<kind>\": {\"code\": " + status + ", \"message\": ...}})";
            }
        }
        return null;
    }

    /** What no refused request may change, read through the API (databases, users and root from the guest). */
    private JsonNode snapshot(Deployment d, HostileRequests.Targets targets) throws Exception {
        ObjectNode state = JSON.createObjectNode();
        JsonNode instance = send(d, "GET", "/instances/" + targets.instance(), null, 200).path("instance");
        ObjectNode kept = JSON.createObjectNode();
        for (String field : List.of("id", "name", "status", "flavor", "datastore", "configuration", "replica_of",
                "replicas", "region", "access", "locality")) {
            if (instance.has(field)) {
                kept.set(field, instance.get(field));
            }
        }
        kept.put("volume_size", instance.at("/volume/size").asInt());
        state.set("instance", kept);
        String i = "/instances/" + targets.instance();
        state.set("instances", ids(send(d, "GET", "/instances", null, 200).path("instances")));
        state.set("databases", send(d, "GET", i + "/databases", null, 200));
        state.set("users", send(d, "GET", i + "/users", null, 200));
        state.set("root", send(d, "GET", i + "/root", null, 200));
        state.set("backups", send(d, "GET", "/backups", null, 200));
        state.set("strategies", send(d, "GET", "/backup_strategies", null, 200));
        state.set("configurations", send(d, "GET", "/configurations", null, 200));
        JsonNode configuration = send(d, "GET", "/configurations/" + targets.configuration(), null, 200)
                .path("configuration");
        state.set("configuration", ((ObjectNode) configuration.deepCopy()).without("updated"));
        state.set("quotas", sendAdmin(d, "/mgmt/quotas/" + d.project()));
        state.set("versions", sendAdmin(d, "/mgmt/datastore-versions"));
        state.set("parameters", sendAdmin(d, "/mgmt/datastores/versions/" + targets.version() + "/parameters"));
        return state;
    }

    private static JsonNode ids(JsonNode items) {
        var out = JSON.createArrayNode();
        items.forEach(item -> out.add(item.path("id").asText()));
        return out;
    }

    private static List<String> guestLogFilesContaining(Path stateDir, String secret) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log") && Files.isRegularFile(f)).toList()) {
                try {
                    if (Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret)) {
                        found.add(file.toString());
                    }
                } catch (IOException e) {
                    // a log rotated away while walking: nothing to read
                }
            }
        }
        return found;
    }

    private JsonNode send(Deployment d, String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = exchange(method, d.api() + path, body, d.user());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private JsonNode sendAdmin(Deployment d, String path) throws Exception {
        HttpResponse<String> response = exchange("GET", d.adminApi() + path, null, d.admin());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> exchange(String method, String url, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }

    /** Every log line of this JVM (the control plane) while attached, with its stack traces. */
    private static final class LogLines extends AppenderBase<ILoggingEvent> {

        private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

        static LogLines attach() {
            LogLines appender = new LogLines();
            appender.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
            appender.start();
            root().addAppender(appender);
            return appender;
        }

        void detach() {
            root().detachAppender(this);
            stop();
        }

        List<String> containing(String secret) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.contains(secret)).map(HostileRequestsTest::abbreviate).toList();
            }
        }

        @Override
        protected void append(ILoggingEvent event) {
            String text = event.getLoggerName() + " " + event.getFormattedMessage();
            if (event.getThrowableProxy() != null) {
                text += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
            }
            lines.add(text);
        }

        private static Logger root() {
            return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        }
    }
}
