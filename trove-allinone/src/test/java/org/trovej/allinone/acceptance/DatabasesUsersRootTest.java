package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Databases, users, access and root of a real PostgreSQL instance of the embedded default, through the REST
 * API (and a few of Debian's {@code openstack database ...} commands), checked where it matters: by logging in
 * to the instance's PostgreSQL as the users made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabasesUsersRootTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "accounts";

    private final HttpClient http = HttpClient.newHttpClient();
    private AllInOneUnderTest trovej;
    private String api;
    private String instance;
    private String address;
    private OpenStackCli cli;

    @BeforeAll
    void startAnInstance() throws Exception {
        OpenStackCli.requireInstalled();
        trovej = AllInOneUnderTest.start("trovej-accounts");
        api = trovej.api(PROJECT);
        cli = new OpenStackCli(api);
        Response created = send("POST", "/instances", """
                {"instance": {"name": "accounts", "flavorRef": "d1", "volume": {"size": 1},
                 "datastore": {"type": "postgresql"}}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String id = created.json().at("/instance/id").asText();
        JsonNode shown = awaitHealthy(id);
        instance = "/instances/" + id;
        address = shown.at("/instance/addresses/0/address").asText();
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            trovej.close();
        }
    }

    @Test
    @Order(1)
    void databasesAreCreatedPagedAndDeleted() {
        Response created = send("POST", instance + "/databases",
                "{\"databases\": [{\"name\": \"app\"}, {\"name\": \"b_db\"}, {\"name\": \"c_db\"}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);

        Response first = send("GET", instance + "/databases?limit=2", null);
        assertThat(first.json().get("databases").findValuesAsText("name")).containsExactly("app", "b_db");
        String next = first.json().at("/links/0/href").asText();
        assertThat(next).startsWith("https://").endsWith(instance + "/databases?limit=2&marker=b_db");
        Response second = send("GET", instance + "/databases?limit=2&marker=b_db", null);
        assertThat(second.body()).isEqualTo("{\"databases\":[{\"name\":\"c_db\"}]}");

        assertError(send("POST", instance + "/databases", "{\"databases\": [{\"name\": \"app\"}]}"), 400,
                "A database with the name \"app\" already exists.");
        assertError(send("POST", instance + "/databases", "{\"databases\": [{\"name\": \"x\"}]}"), 400,
                "'x' is not a valid schema name.");
        assertError(send("POST", instance + "/databases", "{\"databases\": [{\"name\": \"postgres\"}]}"), 400,
                "Database name \"postgres\" is on the reserved list: ['os_admin', 'postgres'].");

        assertThat(send("DELETE", instance + "/databases/c_db", null).status()).isEqualTo(202);
        assertError(send("DELETE", instance + "/databases/c_db", null), 404,
                "Database c_db cannot be found on the instance.");
        assertThat(send("GET", instance + "/databases/app", null).status()).isEqualTo(501);
        JsonNode listed = cli.run("database", "db", "list", id(), "-f", "json").ok().json();
        assertThat(listed.findValuesAsText("Name")).containsExactly("app", "b_db");
    }

    @Test
    @Order(2)
    void usersLogInToExactlyTheDatabasesTheyMayUse() throws Exception {
        Response created = send("POST", instance + "/users", """
                {"users": [{"name": "app", "password": "App-Pass-1", "databases": [{"name": "app"}]},
                           {"name": "helper", "password": "Helper-Pass-1"}]}""");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(login("app", "app", "App-Pass-1")).isEqualTo("app");
        assertThatThrownBy(() -> login("b_db", "app", "App-Pass-1")).as("no access to b_db")
                .isInstanceOf(SQLException.class);

        Response first = send("GET", instance + "/users?limit=1", null);
        assertThat(first.json().get("users").toString())
                .isEqualTo("[{\"name\":\"app\",\"host\":\"%\",\"databases\":[{\"name\":\"app\"}]}]");
        String href = first.json().at("/links/0/href").asText();
        assertThat(href).endsWith("/users?limit=1&marker=app%2540%2525");
        // as troveclient does: the marker decoded once from the href, sent as it is
        String marker = URLDecoder.decode(href.substring(href.indexOf("marker=") + 7), StandardCharsets.UTF_8);
        Response second = send("GET", instance + "/users?limit=1&marker=" + marker, null);
        assertThat(names(second.json().get("users"))).containsExactly("helper");
        assertThat(second.json().has("links")).isFalse();

        Response shown = send("GET", instance + "/users/app%40%25", null);
        assertThat(shown.body()).isEqualTo("{\"user\":{\"name\":\"app\",\"host\":\"%\",\"databases\":"
                + "[{\"name\":\"app\"}]}}");
        assertError(send("GET", instance + "/users/nobody", null), 404,
                "User nobody cannot be found on the instance.");
        assertError(send("POST", instance + "/users", "{\"users\": [{\"name\": \"app\", \"password\": \"P-1\"}]}"),
                400, "A user with the name \"app\" already exists.");
        assertError(send("POST", instance + "/users", "{\"users\": [{\"name\": \"postgres\", \"password\": "
                + "\"P-1\"}]}"), 400, "User create error: User name \"postgres\" is on the reserved list: "
                + "['os_admin', 'postgres'].");
        for (Response r : new Response[] {created, first, second, shown}) {
            assertThat(r.body()).doesNotContain("Pass-1");
        }

        cli.run("database", "user", "create", id(), "cliuser", "Cli-Pass-1", "--databases", "b_db").ok();
        assertThat(login("b_db", "cliuser", "Cli-Pass-1")).isEqualTo("cliuser");
        JsonNode viaCli = cli.run("database", "user", "show", id(), "cliuser", "-f", "json").ok().json();
        assertThat(viaCli.path("databases").toString()).contains("b_db");
    }

    @Test
    @Order(3)
    void renameChangePasswordGrantAndRevoke() throws Exception {
        assertThat(send("PUT", instance + "/users/helper", "{\"user\": {\"name\": \"helper2\"}}").status())
                .isEqualTo(202);
        assertThat(send("GET", instance + "/users/helper", null).status()).isEqualTo(404);
        assertError(send("PUT", instance + "/users/helper2", "{\"user\": {\"name\": \"app\"}}"), 400,
                "A user with the name \"app\" already exists.");

        assertThat(send("PUT", instance + "/users", "{\"users\": [{\"name\": \"helper2\", \"password\": "
                + "\"Helper-Pass-2\"}]}").status()).isEqualTo(202);
        assertThat(send("PUT", instance + "/users/helper2/databases",
                "{\"databases\": [{\"name\": \"b_db\"}]}").status()).isEqualTo(202);
        assertThat(login("b_db", "helper2", "Helper-Pass-2")).isEqualTo("helper2");
        assertThatThrownBy(() -> login("b_db", "helper2", "Helper-Pass-1")).as("the old password is gone")
                .isInstanceOf(SQLException.class);
        assertThat(send("GET", instance + "/users/helper2/databases", null).body())
                .isEqualTo("{\"databases\":[{\"name\":\"b_db\"}]}");

        assertThat(send("DELETE", instance + "/users/helper2/databases/b_db", null).status()).isEqualTo(202);
        assertThatThrownBy(() -> login("b_db", "helper2", "Helper-Pass-2")).as("access revoked")
                .isInstanceOf(SQLException.class);
        assertError(send("DELETE", instance + "/users/helper2/databases/b_db", null), 404,
                "Database b_db cannot be found on the instance.");
        assertError(send("PUT", instance + "/users/helper2/databases", "{\"databases\": [{\"name\": \"nodb\"}]}"),
                404, "Database nodb cannot be found on the instance.");

        assertThat(send("DELETE", instance + "/users/helper2", null).status()).isEqualTo(202);
        assertThat(names(send("GET", instance + "/users", null).json().get("users")))
                .containsExactly("app", "cliuser");
    }

    @Test
    @Order(4)
    void rootIsEnabledRecordedAndDisabled() throws Exception {
        assertThat(send("GET", instance + "/root", null).body()).isEqualTo("{\"rootEnabled\":false}");
        assertError(send("DELETE", instance + "/root", null), 404,
                "Root user has never been enabled on the instance.");

        Response enabled = send("POST", instance + "/root", null);
        assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
        assertThat(enabled.json().at("/user/name").asText()).isEqualTo("root");
        String password = enabled.json().at("/user/password").asText();
        assertThat(password).isNotBlank();
        assertThat(login("postgres", "root", password)).isEqualTo("root");
        assertThat(send("GET", instance + "/root", null).body()).isEqualTo("{\"rootEnabled\":true}");
        assertThat(cli.run("database", "root", "show", id(), "-f", "json").ok().json().toString())
                .contains("true");

        Response disabled = send("DELETE", instance + "/root", null);
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(204);
        assertThatThrownBy(() -> login("postgres", "root", password)).as("root can no longer log in")
                .isInstanceOf(SQLException.class);
        assertThat(send("GET", instance + "/root", null).body()).isEqualTo("{\"rootEnabled\":false}");

        Response withPassword = send("POST", instance + "/root", "{\"password\": \"Root-Pass-9\"}");
        assertThat(withPassword.json().at("/user/password").asText()).isEqualTo("Root-Pass-9");
        assertThat(login("postgres", "root", "Root-Pass-9")).isEqualTo("root");
    }

    @Test
    @Order(5)
    void anotherProjectSeesNoSuchInstance() {
        String elsewhere = api.replace("/" + PROJECT, "/someone-else");
        for (String path : new String[] {"/databases", "/users", "/users/app", "/root"}) {
            Response r = sendTo(elsewhere + instance + path, "GET", null);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.json().at("/itemNotFound/message").asText())
                    .isEqualTo("Resource " + id() + " cannot be found.");
        }
    }

    /** The {@code name} of each item (not of the items' databases). */
    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    private String id() {
        return instance.substring(instance.lastIndexOf('/') + 1);
    }

    private String login(String database, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + address + ":5432/" + database
                + "?connectTimeout=10", user, password);
             ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void assertError(Response response, int status, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        assertThat(body.path(body.fieldNames().next()).path("message").asText()).isEqualTo(message);
    }

    private JsonNode awaitHealthy(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode shown = send("GET", "/instances/" + id, null).json();
        while (System.nanoTime() < deadline && !("ACTIVE".equals(shown.at("/instance/status").asText())
                && "HEALTHY".equals(shown.at("/instance/operating_status").asText()))) {
            assertThat(shown.at("/instance/status").asText()).as(shown.toString()).isNotEqualTo("ERROR");
            Thread.sleep(250);
            shown = send("GET", "/instances/" + id, null).json();
        }
        assertThat(shown.at("/instance/operating_status").asText()).as(shown.toString()).isEqualTo("HEALTHY");
        return shown;
    }

    private record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Response send(String method, String path, String body) {
        return sendTo(api + path, method, body);
    }

    private Response sendTo(String url, String method, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
