package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A MariaDB instance of the embedded default, driven only with Debian's {@code openstack database ...} commands
 * and checked with Debian's {@code mariadb} client: create with a database and a user, more users, root, delete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbAcceptanceTest {

    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;

    @BeforeAll
    void start() {
        OpenStackCli.requireInstalled();
        trovej = AllInOneUnderTest.start("trovej-mariadb");
        cli = trovej.cli("mariadb-project");
        instances = new CliInstances(cli, Duration.ofMinutes(3));
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            trovej.close(); // powers the local servers off, and their databases with them
        }
    }

    @Test
    void aMariaDbInstanceServesItsUsersAndRootAndIsDeleted() throws Exception {
        JsonNode versions = cli.run("datastore", "version", "list", "mariadb", "-f", "json").ok().json();
        assertThat(versions.findValuesAsText("Name")).singleElement().asString().matches("\\d+\\.\\d+");

        String id = instances.create("maria", "mariadb");
        JsonNode shown = instances.awaitActive(id);
        assertThat(shown.get("datastore").toString()).contains("mariadb");
        String address = CliInstances.address(shown);
        assertThat(address).matches("127\\.\\d+\\.\\d+\\.\\d+").isNotEqualTo("127.0.0.1");

        assertThat(mariadb(address, "appuser", "App-Pass-1", "appdb", "SELECT CONCAT(CURRENT_USER(), ' ', DATABASE())"))
                .isEqualTo("appuser@% appdb");
        assertThat(mariadb(address, "appuser", "wrong", "appdb", "SELECT 1")).contains("ERROR 1045");

        cli.run("database", "db", "create", id, "reports").ok();
        cli.run("database", "user", "create", id, "analyst", "Analyst-Pass-1", "--databases", "reports").ok();
        assertThat(mariadb(address, "analyst", "Analyst-Pass-1", "reports", "SELECT DATABASE()")).isEqualTo("reports");
        assertThat(mariadb(address, "analyst", "Analyst-Pass-1", "appdb", "SELECT 1")).contains("ERROR 1044");
        assertThat(cli.run("database", "user", "list", id, "-f", "json").ok().json().findValuesAsText("Name"))
                .containsExactlyInAnyOrder("analyst", "appuser");
        assertThat(cli.run("database", "db", "list", id, "-f", "json").ok().json().findValuesAsText("Name"))
                .containsExactlyInAnyOrder("appdb", "reports");

        JsonNode root = cli.run("database", "root", "enable", id, "-f", "json").ok().json();
        assertThat(root.path("name").asText()).isEqualTo("root");
        String rootPassword = root.path("password").asText();
        assertThat(rootPassword).isNotBlank();
        assertThat(mariadb(address, "root", rootPassword, "mysql", "SELECT CURRENT_USER()")).isEqualTo("root@%");

        instances.delete(id);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (cli.run("database", "instance", "show", id, "-f", "json").exitCode() == 0
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(cli.run("database", "instance", "show", id, "-f", "json").exitCode()).isNotZero();
        assertThat(mariadb(address, "appuser", "App-Pass-1", "appdb", "SELECT 1")).contains("ERROR 2002");
        assertThat(trovej.stateDir().resolve("instances").resolve(id)).doesNotExist();
    }

    /** Debian's client as this user in this database; its output or its error. */
    private static String mariadb(String address, String user, String password, String database, String sql) {
        return DatabaseClients.mariadbAs(address, new DatabaseClients.Login(user, password, database), sql).output();
    }
}
