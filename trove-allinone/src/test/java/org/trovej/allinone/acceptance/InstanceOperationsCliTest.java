package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.allinone.acceptance.DatabaseClients.mariadb;
import static org.trovej.allinone.acceptance.DatabaseClients.psql;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.testsupport.CliCommand;
import org.trovej.testsupport.KeystoneFixture;

/**
 * Guest logs and rebuild, the instance operations of issue 15, as a cloud user and an admin meet them, sharing one
 * PostgreSQL and one MariaDB instance.
 * <p>
 * Guest logs: Debian's {@code openstack database log list/show/set/tail/save}
 * against the all-in-one in keystone mode, whose catalog's object-store is TroveJ's local store. A member enables
 * the general log of a PostgreSQL and a MariaDB instance, runs queries with the engines' own clients, publishes, and
 * {@code log tail} and {@code log save} (which read the store directly, as troveclient does) show those queries and
 * never the password of a user created meanwhile through the API. The SYS log {@code guest} is the admin's alone.
 * Bad requests are refused with Trove's texts and change nothing.
 * <p>
 * Rebuild: the admin's {@code openstack database instance rebuild} from the image the datastore version boots (the
 * local back end's one image) brings each instance back ACTIVE with its rows and its configuration group's values; an
 * image that does not exist leaves the instance running, with a fault saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceOperationsCliTest {

    private static final Duration BUILD = Duration.ofMinutes(3);
    private static final String MEMBER = "alpha-user";
    /** A password given to the API while the general logs are on: it must reach no published log. */
    private static final String SECRET = "Log-Secret-" + UUID.randomUUID().toString().substring(0, 8);

    /** Not the shared Keystone's 5000, nor scripts/acceptance's 5001. */
    private static final int KEYSTONE_PORT = 5002;

    private final HttpClient http = HttpClient.newHttpClient();
    private KeystoneFixture keystone;
    private Path keystoneState;
    private KeystoneAllInOne trovej;
    private CliInstances instances;
    private String postgres;
    private String maria;

    @BeforeAll
    void start() throws IOException {
        // a Keystone of its own: log tail and save read the catalog's object-store, which must be this TroveJ's
        // store, and the shared Keystone names a real Swift once scripts/openstack-aio has run (as in CI)
        keystoneState = Files.createTempDirectory("trovej-keystone-logs");
        keystone = KeystoneFixture.startOwn(KEYSTONE_PORT, keystoneState);
        trovej = KeystoneAllInOne.start("trovej-guest-logs", keystone);
        assertThat(trovej.onCatalogPort()).as("log tail reads the catalog's object-store, 127.0.0.1:"
                + KeystoneAllInOne.CATALOG_PORT + ": stop what holds that port").isTrue();
        instances = new CliInstances(args -> trovej.openstack(MEMBER, args), BUILD);
        postgres = instances.create("logs-pg", "postgresql");
        maria = instances.create("logs-maria", "mariadb");
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            instances.deleteAll();
            trovej.close();
        }
        if (keystone != null) {
            keystone.stopOwn();
        }
        if (keystoneState != null) {
            org.springframework.util.FileSystemUtils.deleteRecursively(keystoneState.toFile());
        }
    }

    @Test
    @Order(1)
    void membersListTheUserLogsAndAdminsAlsoTheGuestsOwn() {
        instances.awaitActive(postgres);
        instances.awaitActive(maria);
        JsonNode pg = member("database", "log", "list", postgres, "-f", "json").ok().json();
        assertThat(pg.findValuesAsText("Name")).containsExactly("general");
        assertThat(pg.findValuesAsText("Type")).containsExactly("USER");
        assertThat(pg.findValuesAsText("Status")).containsExactly("Disabled");
        JsonNode mariaLogs = member("database", "log", "list", maria, "-f", "json").ok().json();
        assertThat(mariaLogs.findValuesAsText("Name")).containsExactlyInAnyOrder("general", "slow_query");

        JsonNode asAdmin = admin("database", "log", "list", postgres, "-f", "json").ok().json();
        assertThat(asAdmin.findValuesAsText("Name")).containsExactlyInAnyOrder("general", "guest");
    }

    @Test
    @Order(2)
    void postgresqlGeneralLogShowsTheQueriesAndNoPassword() {
        String address = CliInstances.address(instances.show(postgres));
        generalLogScenario(postgres, "postgresql", marker -> psql(address, "SELECT '" + marker + "'"));
    }

    @Test
    @Order(3)
    void mariadbGeneralLogShowsTheQueriesAndNoPassword() {
        String address = CliInstances.address(instances.show(maria));
        generalLogScenario(maria, "mariadb", marker -> mariadb(address, "SELECT '" + marker + "'"));
    }

    @Test
    @Order(4)
    void badRequestsAreRefusedWithTrovesWordsAndChangeNothing() throws Exception {
        CliCommand.Result sys = member("database", "log", "show", postgres, "guest");
        assertThat(sys.exitCode()).isNotZero();
        assertThat(sys.stdout() + sys.stderr()).contains("You must be admin to show log 'guest'.").contains("403");

        CliCommand.Result unknown = member("database", "log", "show", postgres, "nosuch");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stdout() + unknown.stderr()).contains("Log 'nosuch' is not defined.").contains("404");

        CliCommand.Result both = member("database", "log", "set", postgres, "general", "--enable", "--disable");
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.stdout() + both.stderr()).contains("Cannot enable and disable log.").contains("400");

        CliCommand.Result sysEnable = admin("database", "log", "set", postgres, "guest", "--enable");
        assertThat(sysEnable.exitCode()).isNotZero();
        assertThat(sysEnable.stdout() + sysEnable.stderr()).contains("Cannot enable a SYSTEM log ('guest').");

        String before = status(postgres, "general");
        KeystoneFixture.Token token = trovej.keystone().token(MEMBER);
        for (String body : new String[] {"{\"name\": \"general\", \"disable\": true}",
                "{\"name\": \"general\", \"disable\": 2}", "{\"disable\": 1}", "{\"name\": \"\"}", "[]"}) {
            HttpResponse<String> refused = post(token, postgres, body);
            assertThat(refused.statusCode()).as(body + " → " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).as(body).contains("\"badRequest\"");
        }
        assertThat(status(postgres, "general")).as("nothing changed").isEqualTo(before);
    }

    @Test
    @Order(5)
    void theAdminPublishesTheGuestAgentsOwnLog() throws IOException {
        JsonNode published = admin("database", "log", "set", postgres, "guest", "--publish", "-f", "json").ok()
                .json();
        assertThat(published.path("type").asText()).isEqualTo("SYS");
        assertThat(published.path("published").asLong()).isPositive();
        String saved = save(true, postgres, "guest");
        assertThat(saved).contains(postgres);
        assertThat(saved).doesNotContain(SECRET).doesNotContain(DatabaseClients.PASSWORD);
    }

    @Test
    @Order(6)
    void rebuildKeepsTheDataAndTheConfigurationGroup() {
        String image = localImage();
        assertThat(image).as("the image of the datastore version").isNotEmpty();
        String pgAddress = CliInstances.address(instances.show(postgres));
        psql(pgAddress, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before rebuild')");
        String pgGroup = configuration("rebuild-pg", "postgresql", "15", "{\"max_connections\": 155}");
        member("database", "configuration", "attach", postgres, pgGroup).ok();
        instances.awaitStatus(postgres, "RESTART_REQUIRED");
        member("database", "instance", "restart", postgres).ok();
        instances.awaitActive(postgres);
        assertThat(psql(pgAddress, "SHOW max_connections")).isEqualTo("155");

        String mariaAddress = CliInstances.address(instances.show(maria));
        mariadb(mariaAddress, "CREATE TABLE kept (v varchar(40)); INSERT INTO kept VALUES ('before rebuild')");
        String mariaGroup = configuration("rebuild-maria", "mariadb", "10.11", "{\"max_connections\": 156}");
        member("database", "configuration", "attach", maria, mariaGroup).ok();
        assertThat(mariadb(mariaAddress, "SELECT @@max_connections")).isEqualTo("156");

        admin("database", "instance", "rebuild", postgres, image).ok();
        admin("database", "instance", "rebuild", maria, image).ok();
        assertThat(instances.show(postgres).path("status").asText()).isIn("BUILD", "ACTIVE");
        instances.awaitActive(postgres);
        instances.awaitActive(maria);
        assertThat(psql(pgAddress, "SELECT v FROM kept")).isEqualTo("before rebuild");
        assertThat(psql(pgAddress, "SHOW max_connections")).isEqualTo("155");
        assertThat(mariadb(mariaAddress, "SELECT v FROM kept")).isEqualTo("before rebuild");
        assertThat(mariadb(mariaAddress, "SELECT @@max_connections")).isEqualTo("156");
    }

    @Test
    @Order(7)
    void anImageThatDoesNotExistLeavesTheInstanceRunningWithAFault() {
        String unknown = UUID.randomUUID().toString();
        admin("database", "instance", "rebuild", postgres, unknown).ok();
        // the client shows the fault's message as the field "fault"
        JsonNode shown = instances.await(postgres, s -> s.path("fault").asText().contains("could not be rebuilt"));
        assertThat(shown.path("fault").asText()).contains(unknown).contains("does not exist");
        assertThat(instances.awaitActive(postgres).path("status").asText()).isEqualTo("ACTIVE");
        assertThat(psql(CliInstances.address(shown), "SELECT v FROM kept")).isEqualTo("before rebuild");

        CliCommand.Result member = member("database", "instance", "rebuild", postgres, localImage());
        assertThat(member.exitCode()).as("a member may not rebuild").isNotZero();
    }

    /** The image the datastore versions boot, as an admin reads it ({@code openstack datastore version list}). */
    private String localImage() {
        JsonNode versions = admin("datastore", "version", "list", "postgresql", "-f", "json").ok().json();
        String versionId = versions.get(0).path("ID").asText();
        JsonNode version = trovejMgmtVersion(versionId);
        return version.path("image").asText();
    }

    private JsonNode trovejMgmtVersion(String versionId) {
        try {
            KeystoneFixture.Token token = trovej.keystone().token("admin");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + KeystoneAllInOne.CATALOG_PORT + "/v1.0/" + token.projectId() + "/mgmt/datastore-versions/"
                            + versionId)).header("X-Auth-Token", token.value()).header("Accept", "application/json")
                    .GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("version");
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A configuration group of the member's; its id. */
    private String configuration(String name, String datastore, String version, String values) {
        return member("database", "configuration", "create", name, values, "--datastore", datastore,
                "--datastore-version", version, "-f", "json").ok().json().path("id").asText();
    }

    /**
     * Enable, query, create a user with {@link #SECRET}, publish, tail and save; more queries make it Partial, a
     * second publish appends them; discard empties the store's copy.
     */
    private void generalLogScenario(String id, String manager, Consumer<String> query) {
        JsonNode enabled = member("database", "log", "set", id, "general", "--enable", "-f", "json").ok().json();
        assertThat(enabled.path("status").asText()).isIn("Enabled", "Ready");

        String first = "first-" + manager + "-" + UUID.randomUUID();
        query.accept(first);
        member("database", "user", "create", id, "logsecret", SECRET, "--databases", "appdb").ok();
        JsonNode shown = member("database", "log", "show", id, "general", "-f", "json").ok().json();
        assertThat(shown.path("status").asText()).isEqualTo("Ready");
        assertThat(shown.path("pending").asLong()).isPositive();

        JsonNode published = member("database", "log", "set", id, "general", "--publish", "-f", "json").ok().json();
        assertThat(published.path("status").asText()).isEqualTo("Published");
        assertThat(published.path("published").asLong()).isPositive();
        assertThat(published.path("pending").asLong()).isZero();
        assertThat(published.path("container").asText()).isEqualTo("database_logs");
        assertThat(published.path("prefix").asText()).isEqualTo(id + "/" + manager + "-general/");

        assertThat(member("database", "log", "tail", id, "general", "--lines", "500").ok().stdout()).contains(first);
        try {
            String saved = save(false, id, "general");
            assertThat(saved).contains(first).doesNotContain(SECRET);
        } catch (IOException e) {
            throw new AssertionError(e);
        }

        String second = "second-" + manager + "-" + UUID.randomUUID();
        query.accept(second);
        JsonNode partial = member("database", "log", "show", id, "general", "-f", "json").ok().json();
        assertThat(partial.path("status").asText()).isEqualTo("Partial");
        member("database", "log", "set", id, "general", "--publish").ok();
        String tail = member("database", "log", "tail", id, "general", "--lines", "500").ok().stdout();
        assertThat(tail).contains(second);

        JsonNode discarded = member("database", "log", "set", id, "general", "--discard", "-f", "json").ok().json();
        assertThat(discarded.path("published").asLong()).isZero();
        assertThat(member("database", "log", "tail", id, "general").stdout()).doesNotContain(first);

        JsonNode disabled = member("database", "log", "set", id, "general", "--disable", "-f", "json").ok().json();
        assertThat(disabled.path("status").asText()).isEqualTo("Disabled");
        member("database", "user", "delete", id, "logsecret").ok();
    }

    private String status(String id, String log) {
        return member("database", "log", "show", id, log, "-f", "json").ok().json().path("status").asText();
    }

    /** {@code log save} into a fresh file; its content. */
    private String save(boolean asAdmin, String id, String log) throws IOException {
        Path file = Files.createTempFile("trovej-log-save", ".log");
        try {
            String[] args = {"database", "log", "save", id, log, "--file", file.toString()};
            (asAdmin ? admin(args) : member(args)).ok();
            return Files.readString(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private HttpResponse<String> post(KeystoneFixture.Token token, String id, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + KeystoneAllInOne.CATALOG_PORT
                        + "/v1.0/" + token.projectId() + "/instances/" + id + "/log"))
                .header("X-Auth-Token", token.value()).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private CliCommand.Result member(String... args) {
        return trovej.openstack(MEMBER, args);
    }

    private CliCommand.Result admin(String... args) {
        return trovej.openstack("admin", args);
    }
}
