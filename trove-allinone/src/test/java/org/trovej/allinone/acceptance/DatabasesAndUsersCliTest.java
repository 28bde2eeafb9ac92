package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.allinone.acceptance.CliInstances.address;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.allinone.acceptance.DatabaseClients.Login;
import org.trovej.allinone.acceptance.DatabaseClients.Outcome;
import org.trovej.testsupport.CliCommand;
import org.trovej.taskmanager.compute.local.LocalLayout;

/**
 * Trove's database, user, access and root API on both datastore families of the embedded default, as a user
 * meets it: Debian's real {@code openstack database db|user|root ...} commands against the all-in-one, and
 * then the real {@code psql} and {@code mariadb} clients logging in as each user to see exactly the access
 * that was granted — a revoked user is refused. Bad input is refused and changes nothing.
 */
@ExtendWith(SharedAllInOne.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabasesAndUsersCliTest {

    private static final String PROJECT = "accounts";
    private static final Duration BUILD = Duration.ofMinutes(3);

    /**
     * A datastore family (its real client is the one of {@link DatabaseClients}): its root user and system
     * database, and names its rules refuse (PostgreSQL quotes identifiers, so only length and trailing blanks
     * count there, as in Trove).
     */
    private record Engine(String datastore, String root, String systemDatabase, String badUserName,
                          String badDatabaseName) {
    }

    private static final List<Engine> ENGINES = List.of(
            new Engine("postgresql", "root", "postgres", "u".repeat(64), "d".repeat(64)),
            new Engine("mariadb", "root", "mysql", "bad name'", "bad;name"));

    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;
    private final Map<String, String> instanceIds = new java.util.HashMap<>();
    private final Map<String, String> addresses = new java.util.HashMap<>();

    @BeforeAll
    void start(AllInOneUnderTest trovej) {
        OpenStackCli.requireInstalled();
        requireClient("psql");
        requireClient("mariadb");
        this.trovej = trovej;
        cli = trovej.cli(PROJECT);
        instances = new CliInstances(cli, BUILD);
        // both instances build at once; each gets an initial database and a user of it
        for (Engine engine : ENGINES) {
            instanceIds.put(engine.datastore(), instances.create("acc-" + engine.datastore(), engine.datastore()));
        }
        for (Engine engine : ENGINES) {
            addresses.put(engine.datastore(), address(instances.awaitActive(instanceIds.get(engine.datastore()))));
        }
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            instances.deleteAll();
        }
    }

    @Test
    @Order(1)
    void theInitialUserLogsInToItsDatabaseOnly() {
        for (Engine engine : ENGINES) {
            assertThat(login(engine, "appuser", "App-Pass-1", "appdb")).as(engine.datastore()).isTrue();
            assertThat(login(engine, "appuser", "wrong", "appdb")).as(engine.datastore()).isFalse();
        }
    }

    @Test
    @Order(2)
    void databasesAndUsersAreCreatedAndListed() {
        for (Engine engine : ENGINES) {
            String id = instanceIds.get(engine.datastore());
            cli.run("database", "db", "create", id, "second").ok();
            JsonNode dbs = cli.run("database", "db", "list", id, "-f", "json").ok().json();
            assertThat(dbs.findValuesAsText("Name")).as(engine.datastore())
                    .contains("appdb", "second").doesNotContain(engine.systemDatabase());

            cli.run("database", "user", "create", id, "bob", "Bob-Pass-1", "--databases", "second").ok();
            JsonNode users = cli.run("database", "user", "list", id, "-f", "json").ok().json();
            assertThat(users.findValuesAsText("Name")).as(engine.datastore())
                    .contains("appuser", "bob").doesNotContain("os_admin", engine.root());
            JsonNode access = cli.run("database", "user", "show", "access", id, "bob", "-f", "json").ok().json();
            assertThat(access.findValuesAsText("Name")).as(engine.datastore()).containsExactly("second");

            assertThat(login(engine, "bob", "Bob-Pass-1", "second")).as(engine.datastore()).isTrue();
            assertThat(login(engine, "bob", "Bob-Pass-1", "appdb")).as(engine.datastore()).isFalse();
        }
    }

    @Test
    @Order(3)
    void grantAndRevokeChangeWhatTheUserReaches() {
        for (Engine engine : ENGINES) {
            String id = instanceIds.get(engine.datastore());
            cli.run("database", "user", "grant", "access", id, "bob", "appdb").ok();
            assertThat(login(engine, "bob", "Bob-Pass-1", "appdb")).as(engine.datastore()).isTrue();
            cli.run("database", "user", "revoke", "access", id, "bob", "second").ok();
            assertThat(login(engine, "bob", "Bob-Pass-1", "second")).as(engine.datastore()).isFalse();
            assertThat(login(engine, "bob", "Bob-Pass-1", "appdb")).as(engine.datastore()).isTrue();
            JsonNode access = cli.run("database", "user", "show", "access", id, "bob", "-f", "json").ok().json();
            assertThat(access.findValuesAsText("Name")).as(engine.datastore()).containsExactly("appdb");
        }
    }

    @Test
    @Order(4)
    void aChangedPasswordReplacesTheOldOne() {
        for (Engine engine : ENGINES) {
            String id = instanceIds.get(engine.datastore());
            cli.run("database", "user", "update", "attributes", id, "bob", "--new_password", "Bob-Pass-2").ok();
            assertThat(login(engine, "bob", "Bob-Pass-2", "appdb")).as(engine.datastore()).isTrue();
            assertThat(login(engine, "bob", "Bob-Pass-1", "appdb")).as(engine.datastore()).isFalse();
        }
    }

    @Test
    @Order(5)
    void badInputIsRefusedAndChangesNothing() {
        for (Engine engine : ENGINES) {
            String id = instanceIds.get(engine.datastore());
            List<String> usersBefore = userNames(id);
            List<String> dbsBefore = cli.run("database", "db", "list", id, "-f", "json").ok().json()
                    .findValuesAsText("Name");

            assertRefused(engine, cli.run("database", "user", "create", id, "bob", "Other-Pass-1"), "400");
            assertRefused(engine, cli.run("database", "user", "create", id, engine.badUserName(), "Other-Pass-1"),
                    "400");
            assertRefused(engine, cli.run("database", "db", "create", id, engine.systemDatabase()), "400");
            assertRefused(engine, cli.run("database", "db", "create", id, engine.badDatabaseName()), "400");
            assertRefused(engine, cli.run("database", "user", "grant", "access", id, "nobody", "appdb"), "404");
            assertRefused(engine, cli.run("database", "user", "revoke", "access", id, "bob", "second"), "404");
            assertRefused(engine, cli.run("database", "user", "delete", id, "nobody"), "404");
            assertRefused(engine, cli.run("database", "db", "delete", id, "nodb"), "404");

            assertThat(userNames(id)).as(engine.datastore()).containsExactlyInAnyOrderElementsOf(usersBefore);
            assertThat(cli.run("database", "db", "list", id, "-f", "json").ok().json().findValuesAsText("Name"))
                    .as(engine.datastore()).containsExactlyInAnyOrderElementsOf(dbsBefore);
            assertThat(login(engine, "bob", "Bob-Pass-2", "appdb")).as(engine.datastore()).isTrue();
        }
    }

    @Test
    @Order(6)
    void rootIsEnabledShownAndDisabled() {
        for (Engine engine : ENGINES) {
            String id = instanceIds.get(engine.datastore());
            JsonNode root = cli.run("database", "root", "enable", id, "-f", "json").ok().json();
            String password = root.findValue("password").asText();
            assertThat(root.findValue("name").asText()).isEqualTo(engine.root());
            assertThat(login(engine, engine.root(), password, engine.systemDatabase())).as(engine.datastore())
                    .isTrue();
            JsonNode shown = cli.run("database", "root", "show", id, "-f", "json").ok().json();
            assertThat(shown.toString()).as(engine.datastore()).containsIgnoringCase("true");
            // the password is in the enable response and nowhere after it
            assertThat(shown.toString()).doesNotContain(password);
            cli.run("database", "root", "disable", id).ok();
            assertThat(login(engine, engine.root(), password, engine.systemDatabase())).as(engine.datastore())
                    .isFalse();
        }
    }

    @Test
    @Order(7)
    void deletedUsersAndDatabasesAreGone() {
        for (Engine engine : ENGINES) {
            String id = instanceIds.get(engine.datastore());
            cli.run("database", "user", "delete", id, "bob").ok();
            cli.run("database", "db", "delete", id, "second").ok();
            assertThat(userNames(id)).as(engine.datastore()).doesNotContain("bob").contains("appuser");
            assertThat(cli.run("database", "db", "list", id, "-f", "json").ok().json().findValuesAsText("Name"))
                    .as(engine.datastore()).doesNotContain("second").contains("appdb");
            assertThat(login(engine, "bob", "Bob-Pass-2", "appdb")).as(engine.datastore()).isFalse();
            assertThat(login(engine, "appuser", "App-Pass-1", "appdb")).as(engine.datastore()).isTrue();
        }
    }

    @Test
    @Order(8)
    void aKilledGuestAgentComesBackByItselfAndTheInstanceSaysSo() throws Exception {
        LocalLayout layout = trovej.context().getBean(LocalLayout.class);
        for (Engine engine : ENGINES) {
            String id = instanceIds.get(engine.datastore());
            long guest = Long.parseLong(Files.readString(layout.guestPid(id)).trim());
            ProcessHandle.of(guest).ifPresent(ProcessHandle::destroyForcibly);
            long killed = System.nanoTime();
            JsonNode shown = instances.await(id, s -> s.toString().contains("was started again")
                    && "ACTIVE".equals(s.path("status").asText())
                    && "HEALTHY".equals(s.path("operating_status").asText()));
            assertThat(shown.toString()).as(engine.datastore())
                    .contains("The guest agent stopped unexpectedly and was started again");
            assertThat(shown.path("status").asText()).as(shown.toString()).isEqualTo("ACTIVE");
            assertThat(shown.path("operating_status").asText()).as(shown.toString()).isEqualTo("HEALTHY");
            assertThat((System.nanoTime() - killed) / 1e9).as(engine.datastore() + ": seconds to HEALTHY again")
                    .isLessThan(30);
            assertThat(Long.parseLong(Files.readString(layout.guestPid(id)).trim())).isNotEqualTo(guest);
            assertThat(login(engine, "appuser", "App-Pass-1", "appdb")).as(engine.datastore()).isTrue();
        }
    }

    private List<String> userNames(String id) {
        return cli.run("database", "user", "list", id, "-f", "json").ok().json().findValuesAsText("Name");
    }

    private static void assertRefused(Engine engine, CliCommand.Result result, String status) {
        assertThat(result.exitCode()).as(engine.datastore() + ": " + result.stdout()).isNotZero();
        assertThat(result.stderr()).as(engine.datastore()).contains("HTTP " + status);
    }

    /** Whether the engine's real command-line client logs in as this user to this database. */
    private boolean login(Engine engine, String user, String password, String database) {
        String address = addresses.get(engine.datastore());
        Login login = new Login(user, password, database);
        Outcome outcome = engine.datastore().equals("postgresql")
                ? DatabaseClients.psqlAs(address, login, "SELECT current_user")
                : DatabaseClients.mariadbAs(address, login, "SELECT CURRENT_USER()");
        return outcome.exitCode() == 0 && outcome.output().startsWith(user);
    }

    private static void requireClient(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("`" + command + " --version` failed");
            }
        } catch (IOException e) {
            throw new AssertionError(command + " is not installed: run scripts/ensure-services", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
