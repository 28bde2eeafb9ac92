package org.trovej.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The real Keystone of {@code scripts/keystone}, started once per test JVM (the script installs Debian's keystone
 * when it is missing). If it cannot be started, every test using it fails with the script's output: nothing is
 * skipped. A Keystone this JVM started is stopped when the JVM exits; one that was already running is left alone.
 */
public final class KeystoneFixture {

    /** A provisioned user: what {@code scripts/keystone env <user>} exports. */
    public record User(String name, String password, String project, Map<String, String> environment) {
    }

    /** A token and the id of the project it is scoped to. */
    public record Token(String value, String projectId) {
    }

    private static KeystoneFixture instance;

    private final Path script;
    private final String authUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, User> users = new LinkedHashMap<>();

    /** For a Keystone of its own ({@link #startOwn}): its port and state; empty for the shared one. */
    private final Map<String, String> scriptEnvironment;

    private KeystoneFixture(Path script) {
        this(script, Map.of());
    }

    private KeystoneFixture(Path script, Map<String, String> scriptEnvironment) {
        this.script = script;
        this.scriptEnvironment = Map.copyOf(scriptEnvironment);
        for (String name : new String[] {"admin", "alpha-user", "beta-user", "trove"}) {
            Map<String, String> env = parseExports(run(600, "env", name));
            users.put(name, new User(name, env.get("OS_PASSWORD"), env.get("OS_PROJECT_NAME"), env));
        }
        String url = users.get("admin").environment().get("OS_AUTH_URL");
        this.authUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Keystone, running and provisioned. */
    public static synchronized KeystoneFixture start() {
        if (instance == null) {
            Path script = findScript();
            String output = runScript(script, 900, "start");
            KeystoneFixture started = new KeystoneFixture(script);
            if (output.contains(": up in ")) { // started by us, not found running
                Runtime.getRuntime().addShutdownHook(new Thread(() -> runScript(script, 60, "stop"),
                        "keystone-stop"));
            }
            instance = started;
        }
        return instance;
    }

    /**
     * A Keystone of the caller's own on {@code port} with its state in {@code stateDir}, provisioned like the shared
     * one and stopped when this JVM exits: for a test that needs the catalog to name TroveJ's own services, when the
     * shared Keystone may have a real cloud's (scripts/openstack-aio registers its Nova and Swift there).
     */
    public static KeystoneFixture startOwn(int port, Path stateDir) {
        Path script = findScript();
        Map<String, String> env = Map.of("KEYSTONE_PORT", Integer.toString(port), "TROVEJ_KEYSTONE_STATE_DIR",
                stateDir.toString());
        String output = CheckoutScripts.run(script, env, 900, "Keystone is required by this test", "start");
        KeystoneFixture started = new KeystoneFixture(script, env);
        if (output.contains(": up in ")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> CheckoutScripts.run(script, env, 60,
                    "Keystone is required by this test", "stop"), "keystone-stop-" + port));
        }
        return started;
    }

    /** Stops a Keystone of its own ({@link #startOwn}); the shared one is left to the JVM's exit. */
    public void stopOwn() {
        if (!scriptEnvironment.isEmpty()) {
            run(60, "stop");
        }
    }

    /** The identity v3 URL, e.g. http://127.0.0.1:5000/v3 (no trailing slash). */
    public String authUrl() {
        return authUrl;
    }

    public User user(String name) {
        User user = users.get(name);
        if (user == null) {
            throw new IllegalArgumentException("no such test user " + name + " (" + users.keySet() + ")");
        }
        return user;
    }

    /** A new project-scoped token for the user (password authentication). */
    public Token token(String userName) {
        User user = user(userName);
        String body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\""
                + user.name() + "\",\"domain\":{\"name\":\"Default\"},\"password\":\"" + user.password()
                + "\"}}},\"scope\":{\"project\":{\"name\":\"" + user.project()
                + "\",\"domain\":{\"name\":\"Default\"}}}}}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(authUrl + "/auth/tokens?nocatalog"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 201) {
            throw new AssertionError("Keystone refused " + userName + ": " + response.statusCode() + " "
                    + response.body());
        }
        try {
            JsonNode token = json.readTree(response.body()).path("token");
            return new Token(response.headers().firstValue("X-Subject-Token").orElseThrow(),
                    token.path("project").path("id").asText());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The id of a project, by name. */
    public String projectId(String userName) {
        return token(userName).projectId();
    }

    /** Revokes a token (as its owner logging out would): Keystone refuses it from now on. */
    public void revoke(String token) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(authUrl + "/auth/tokens"))
                .header("X-Auth-Token", token("admin").value()).header("X-Subject-Token", token).DELETE());
        if (response.statusCode() != 204) {
            throw new AssertionError("revocation refused: " + response.statusCode() + " " + response.body());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("Keystone at " + authUrl + " cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String run(int timeoutSeconds, String... args) {
        return CheckoutScripts.run(script, scriptEnvironment, timeoutSeconds, "Keystone is required by this test",
                args);
    }

    static Map<String, String> parseExports(String output) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(OS_[A-Z_]+)=(\\S+)").matcher(output);
        while (m.find()) {
            env.put(m.group(1), m.group(2));
        }
        return env;
    }

    private static String runScript(Path script, int timeoutSeconds, String... args) {
        return CheckoutScripts.run(script, timeoutSeconds, "Keystone is required by this test", args);
    }

    private static Path findScript() {
        return CheckoutScripts.find("keystone");
    }
}
