package org.trovej.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.api.ApiApplication;
import org.trovej.api.support.Api;
import org.trovej.api.support.TestData;
import org.trovej.testsupport.KeystoneFixture;

/**
 * The keystone strategy against the real Keystone of scripts/keystone (Debian's keystone 22): tokens of real users
 * validated by TroveJ's service user, the cache bound, revocation, tenant isolation and admin detection.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("api")
class KeystoneAuthTest {

    private static final Duration CACHE_TIME = Duration.ofSeconds(3);
    private static KeystoneFixture keystone;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        keystone = KeystoneFixture.start();
        org.trovej.testsupport.SpringTestProperties.register(registry);
        registry.add("trovej.rpc.taskmanager-queue", () -> "taskmanager-keystonetest-" + UUID.randomUUID());
        registry.add("trovej.auth.strategy", () -> "keystone");
        registry.add("trovej.keystone.auth-url", keystone::authUrl);
        registry.add("trovej.keystone.username", () -> "trove");
        registry.add("trovej.keystone.password", () -> keystone.user("trove").password());
        registry.add("trovej.keystone.project-name", () -> keystone.user("trove").project());
        registry.add("trovej.keystone.cache-time", () -> CACHE_TIME.toMillis() + "ms");
    }

    private static KeystoneFixture.Token alpha;
    private static KeystoneFixture.Token beta;
    private static KeystoneFixture.Token admin;

    @BeforeAll
    static void tokens() {
        keystone = KeystoneFixture.start(); // before the Spring context: JUnit runs @BeforeAll first
        alpha = keystone.token("alpha-user");
        beta = keystone.token("beta-user");
        admin = keystone.token("admin");
    }

    @LocalServerPort
    int port;

    @Autowired
    AuthStrategy strategy;

    @Autowired
    JdbcTemplate jdbc;

    private Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
        TestData.ensureDatastores(jdbc);
    }

    private KeystoneClient keystoneClient() {
        return ((KeystoneAuthStrategy) strategy).validator().keystone();
    }

    @Test
    void aValidTokenOfThePathsProjectIsServed() {
        Api.Response response = api.get("/v1.0/" + alpha.projectId() + "/instances", "X-Auth-Token", alpha.value());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().has("instances")).isTrue();
        assertThat(api.get("/v1.0/" + alpha.projectId() + "/flavors", "X-Auth-Token", alpha.value()).status())
                .isEqualTo(200);
        // the versions document needs no token
        assertThat(api.get("/").status()).isEqualTo(200);
    }

    @Test
    void noTokenOrAGarbageTokenIsKeystonemiddlewares401() {
        String expectedBody = "{\"error\":{\"code\":401,\"title\":\"Unauthorized\","
                + "\"message\":\"The request you have made requires authentication.\"}}";
        for (String[] headers : List.of(new String[0], new String[] {"X-Auth-Token", "garbage-" + UUID.randomUUID()},
                new String[] {"X-Auth-Token", alpha.value() + "x"})) {
            Api.Response response = api.get("/v1.0/" + alpha.projectId() + "/instances", headers);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Keystone uri=\"" + keystone.authUrl() + "\"");
            assertThat(response.header("Content-Type")).startsWith("application/json");
            assertThat(response.body()).isEqualTo(expectedBody);
        }
    }

    @Test
    void anotherProjectInThePathIsTrovesTenantCheck403() throws Exception {
        Api.Response response = api.get("/v1.0/" + beta.projectId() + "/instances", "X-Auth-Token", alpha.value());
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"message\":\"Access was denied to this resource.<br /><br />\\n"
                + "User with tenant id " + alpha.projectId() + " cannot access this resource.\\n\\n\","
                + "\"code\":\"403 Forbidden\",\"title\":\"Forbidden\"}");
        // without a JSON Accept header: Trove's fault body
        java.net.http.HttpResponse<String> plain = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1.0/"
                        + beta.projectId() + "/instances")).header("X-Auth-Token", alpha.value()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(403);
        assertThat(plain.body()).isEqualTo("{\"forbidden\":{\"code\":403,\"message\":\"User with tenant id "
                + alpha.projectId() + " cannot access this resource.\"}}");
    }

    @Test
    void otherProjectsInstancesAreNotFoundAndAdminsReachThemFromTheirOwnProject() {
        String id = new TestData.InstanceRow(alpha.projectId()).name("alpha-db").insert(jdbc);
        String alphaPath = "/v1.0/" + alpha.projectId() + "/instances/" + id;
        assertThat(api.get(alphaPath, "X-Auth-Token", alpha.value()).status()).isEqualTo(200);

        String betaPath = "/v1.0/" + beta.projectId() + "/instances/" + id;
        Api.Response hidden = api.get(betaPath, "X-Auth-Token", beta.value());
        Api.Response missing = api.get("/v1.0/" + beta.projectId() + "/instances/" + UUID.randomUUID(),
                "X-Auth-Token", beta.value());
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.body()).isEqualTo(missing.body().replaceAll("Resource [0-9a-f-]+", "Resource " + id));
        assertThat(api.delete(betaPath, "X-Auth-Token", beta.value()).status()).isEqualTo(404);
        assertThat(api.post(betaPath + "/action", "{\"restart\": {}}", "X-Auth-Token", beta.value()).status())
                .isEqualTo(404);
        assertThat(api.put(betaPath, "{\"instance\": {\"name\": \"x\"}}", "X-Auth-Token", beta.value()).status())
                .isEqualTo(404);

        // the member may not reset the status; the admin may, with its own project in the path
        Api.Response refused = api.post(alphaPath + "/action", "{\"reset_status\": {}}", "X-Auth-Token",
                alpha.value());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("{\"forbidden\":{\"code\":403,\"message\":\"Policy doesn't allow "
                + "instance:reset_status to be performed.\"}}");
        String adminPath = "/v1.0/" + admin.projectId() + "/instances/" + id;
        Api.Response shown = api.get(adminPath, "X-Auth-Token", admin.value());
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().path("instance").path("tenant_id").asText()).isEqualTo(alpha.projectId());
        assertThat(api.post(adminPath + "/action", "{\"reset_status\": {}}", "X-Auth-Token", admin.value()).status())
                .isEqualTo(202);
    }

    /** The compute API subset takes the same tokens: a project sees its own servers, no token is a 401. */
    @Test
    void theComputeApiSeesTheTokensProjectsServersOnly() {
        String id = new TestData.InstanceRow(alpha.projectId()).name("alpha-server").insert(jdbc);
        String server = jdbc.queryForObject("SELECT compute_instance_id FROM instances WHERE id = ?", String.class,
                id);

        Api.Response mine = api.get("/compute/v2.1/servers", "X-Auth-Token", alpha.value());
        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        assertThat(mine.json().get("servers").findValuesAsText("id")).contains(server);
        Api.Response theirs = api.get("/compute/v2.1/servers/" + server, "X-Auth-Token", beta.value());
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(api.get("/compute/v2.1/servers").status()).isEqualTo(401);
    }

    /**
     * Project B against project A's instance through every instance-scoped endpoint: each answers exactly as it
     * does for an id that does not exist (status and body, the id aside), so B can neither reach nor infer A's
     * resources; lists never show them; the management API refuses a member outright; nothing of A changes.
     */
    @Test
    void anotherProjectsMemberReachesNothingThroughAnyEndpoint() {
        String id = new TestData.InstanceRow(alpha.projectId()).name("alpha-only").insert(jdbc);
        String unknown = UUID.randomUUID().toString();
        String before = jdbc.queryForObject("SELECT concat_ws('|', name, task_id, deleted, updated) FROM instances "
                + "WHERE id = ?", String.class, id);
        String[][] endpoints = {
                {"GET", ""}, {"PUT", "", "{\"instance\": {\"name\": \"stolen\"}}"},
                {"PATCH", "", "{\"instance\": {\"name\": \"stolen\"}}"}, {"DELETE", ""},
                {"POST", "/action", "{\"restart\": {}}"},
                {"POST", "/action", "{\"resize\": {\"volume\": {\"size\": 2}}}"},
                {"POST", "/action", "{\"reset_status\": {}}"},
                {"GET", "/databases"}, {"POST", "/databases", "{\"databases\": [{\"name\": \"x\"}]}"},
                {"GET", "/databases/appdb"}, {"DELETE", "/databases/appdb"},
                {"GET", "/users"}, {"POST", "/users", "{\"users\": [{\"name\": \"x\", \"password\": \"X-pass-1\"}]}"},
                {"PUT", "/users", "{\"users\": [{\"name\": \"appuser\", \"password\": \"X-pass-1\"}]}"},
                {"GET", "/users/appuser"}, {"PUT", "/users/appuser", "{\"user\": {\"password\": \"X-pass-1\"}}"},
                {"DELETE", "/users/appuser"}, {"GET", "/users/appuser/databases"},
                {"PUT", "/users/appuser/databases", "{\"databases\": [{\"name\": \"appdb\"}]}"},
                {"DELETE", "/users/appuser/databases/appdb"},
                {"GET", "/root"}, {"POST", "/root", "{}"}, {"DELETE", "/root"}};
        for (String[] endpoint : endpoints) {
            String body = endpoint.length > 2 ? endpoint[2] : null;
            Api.Response hidden = send(endpoint[0], "/v1.0/" + beta.projectId() + "/instances/" + id + endpoint[1],
                    body, beta);
            Api.Response missing = send(endpoint[0], "/v1.0/" + beta.projectId() + "/instances/" + unknown
                    + endpoint[1], body, beta);
            assertThat(hidden.status()).as(endpoint[0] + " " + endpoint[1] + ": " + hidden.body())
                    .isIn(400, 404, 501).isEqualTo(missing.status());
            assertThat(hidden.body().replace(id, "<id>")).as(endpoint[0] + " " + endpoint[1])
                    .isEqualTo(missing.body().replace(unknown, "<id>"));
        }
        for (String list : List.of("/instances", "/instances/detail")) {
            Api.Response listed = api.get("/v1.0/" + beta.projectId() + list, "X-Auth-Token", beta.value());
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body()).doesNotContain(id);
        }
        // the management API is the admin's: a member is refused before anything is looked up
        String mgmt = "/v1.0/" + beta.projectId() + "/mgmt";
        for (String[] endpoint : new String[][] {{"GET", "/instances"}, {"GET", "/instances/" + id},
                {"GET", "/instances/" + id + "/root"}, {"POST", "/instances/" + id + "/action", "{\"stop\": {}}"},
                {"GET", "/datastore-versions"}, {"PUT", "/quotas/" + alpha.projectId(), "{\"quotas\": {\"instances\": 0}}"}}) {
            Api.Response refused = send(endpoint[0], mgmt + endpoint[1], endpoint.length > 2 ? endpoint[2] : null, beta);
            assertThat(refused.status()).as(endpoint[0] + " mgmt" + endpoint[1]).isEqualTo(401);
            assertThat(refused.body()).doesNotContain("alpha-only");
        }
        // another project's quotas are not shown to a member
        assertThat(api.get(mgmt + "/quotas/" + alpha.projectId(), "X-Auth-Token", beta.value()).status())
                .isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT concat_ws('|', name, task_id, deleted, updated) FROM instances "
                + "WHERE id = ?", String.class, id)).isEqualTo(before);
    }

    private Api.Response send(String method, String path, String body, KeystoneFixture.Token token) {
        return api.send(method, path, body, body == null ? null : "application/json", "X-Auth-Token", token.value());
    }

    @Test
    void aWarmCacheAsksKeystoneNothingAndConcurrentFirstUsesAskOnce() throws Exception {
        KeystoneFixture.Token fresh = keystone.token("alpha-user");
        String path = "/v1.0/" + fresh.projectId() + "/instances";
        long before = keystoneClient().validations();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return api.get(path, "X-Auth-Token", fresh.value()).status();
                }));
            }
            go.countDown();
            for (Future<Integer> call : calls) {
                assertThat(call.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 50; i++) {
            assertThat(api.get(path, "X-Auth-Token", fresh.value()).status()).isEqualTo(200);
        }
        assertThat(keystoneClient().validations() - before).isEqualTo(1);
    }

    @Test
    void aRevokedTokenIsRefusedOnceTheCacheTimeHasPassed() throws Exception {
        KeystoneFixture.Token doomed = keystone.token("beta-user");
        String path = "/v1.0/" + doomed.projectId() + "/instances";
        assertThat(api.get(path, "X-Auth-Token", doomed.value()).status()).isEqualTo(200);
        keystone.revoke(doomed.value());
        long revokedAt = System.nanoTime();
        // still served from the cache for at most cache-time (keystonemiddleware's trade-off) ...
        int status = api.get(path, "X-Auth-Token", doomed.value()).status();
        if (System.nanoTime() - revokedAt < CACHE_TIME.toNanos()) {
            assertThat(status).isEqualTo(200);
        }
        // ... and refused once it has passed
        Thread.sleep(Math.max(0, CACHE_TIME.toMillis() - (System.nanoTime() - revokedAt) / 1_000_000) + 500);
        assertThat(api.get(path, "X-Auth-Token", doomed.value()).status()).isEqualTo(401);
    }

    @Test
    void aRefusedServiceTokenIsRenewed() {
        KeystoneClient client = keystoneClient();
        String serviceToken = client.serviceToken();
        long authentications = client.serviceAuthentications();
        keystone.revoke(serviceToken);

        KeystoneFixture.Token fresh = keystone.token("alpha-user");
        assertThat(api.get("/v1.0/" + fresh.projectId() + "/instances", "X-Auth-Token", fresh.value()).status())
                .isEqualTo(200);
        assertThat(client.serviceAuthentications()).isEqualTo(authentications + 1);
        assertThat(client.serviceToken()).isNotEqualTo(serviceToken);
    }

    @Test
    void anUnreachableKeystoneIs503NotA500() {
        KeystoneProperties down = new KeystoneProperties("http://127.0.0.1:9/v3", "trove", "x", "service", null, null,
                null, null, null, Duration.ofSeconds(2));
        KeystoneAuthStrategy unreachable = new KeystoneAuthStrategy(new KeystoneTokenValidator(
                new KeystoneClient(down), down.cacheTime(), down.cacheSize()), new Policy(), down.challengeUri());
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1.0/p1/instances");
        request.addHeader("X-Auth-Token", "some-token");
        request.addHeader("Accept", "application/json");
        assertThatThrownBy(() -> unreachable.authenticate(request, "p1")).isInstanceOf(AuthFailure.class)
                .satisfies(e -> {
                    AuthFailure failure = (AuthFailure) e;
                    assertThat(failure.status()).isEqualTo(503);
                    assertThat(failure.body()).contains("\"code\":\"503 Service Unavailable\"")
                            .contains("The Keystone service is temporarily unavailable.");
                });
        // and over HTTP the failure reaches the client as such (here: Keystone up, a 503 would show the same way)
        assertThat(new AuthFailureHandler().refused(AuthFailure.keystoneUnavailable(request)).getStatusCode().value())
                .isEqualTo(503);
    }
}
