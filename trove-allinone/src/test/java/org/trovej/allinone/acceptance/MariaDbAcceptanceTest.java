package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.trovej.allinone.AllInOneApplication;

/**
 * A MariaDB instance of the embedded default, driven only with Debian's {@code openstack database ...} commands
 * and checked with Debian's {@code mariadb} client: create with a database and a user, more users, root, delete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbAcceptanceTest {

    private Path stateDir;
    private ConfigurableApplicationContext trovej;
    private OpenStackCli cli;

    @BeforeAll
    void start() throws Exception {
        OpenStackCli.requireInstalled();
        stateDir = Files.createTempDirectory("trovej-mariadb",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        trovej = AllInOneApplication.application().run(
                "--server.port=0",
                "--trovej.state-dir=" + stateDir,
                "--trovej.embedded.postgres-port=0",
                "--trovej.embedded.amqp-port=0",
                "--trovej.local.report-interval=2s");
        int port = ((ServletWebServerApplicationContext) trovej).getWebServer().getPort();
        cli = new OpenStackCli("http://127.0.0.1:" + port + "/v1.0/mariadb-project");
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            trovej.close(); // powers the local servers off, and their databases with them
        }
        if (stateDir != null) {
            FileSystemUtils.deleteRecursively(stateDir.toFile());
        }
    }

    @Test
    void aMariaDbInstanceServesItsUsersAndRootAndIsDeleted() throws Exception {
        JsonNode versions = cli.run("datastore", "version", "list", "mariadb", "-f", "json").ok().json();
        assertThat(versions.findValuesAsText("Name")).singleElement().asString().matches("\\d+\\.\\d+");

        JsonNode created = cli.run("database", "instance", "create", "maria", "--flavor", "ds512M", "--size", "1",
                "--datastore", "mariadb", "--databases", "appdb", "--users", "appuser:App-Pass-1", "-f", "json")
                .ok().json();
        String id = created.get("id").asText();
        JsonNode shown = awaitActiveHealthy(id);
        assertThat(shown.get("datastore").toString()).contains("mariadb");
        String address = shown.get("addresses").toString().replaceAll(".*\"address\":\\s*\"([0-9.]+)\".*", "$1");
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

        cli.run("database", "instance", "delete", id).ok();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (cli.run("database", "instance", "show", id, "-f", "json").exitCode() == 0
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(cli.run("database", "instance", "show", id, "-f", "json").exitCode()).isNotZero();
        assertThat(mariadb(address, "appuser", "App-Pass-1", "appdb", "SELECT 1")).contains("ERROR 2002");
        assertThat(stateDir.resolve("instances").resolve(id)).doesNotExist();
    }

    private JsonNode awaitActiveHealthy(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode shown = cli.run("database", "instance", "show", id, "-f", "json").ok().json();
        while (System.nanoTime() < deadline && !("ACTIVE".equals(shown.path("status").asText())
                && "HEALTHY".equals(shown.path("operating_status").asText()))) {
            assertThat(shown.path("status").asText()).as(shown.toString()).isNotEqualTo("ERROR");
            Thread.sleep(500);
            shown = cli.run("database", "instance", "show", id, "-f", "json").ok().json();
        }
        assertThat(shown.path("operating_status").asText()).as(shown.toString()).isEqualTo("HEALTHY");
        return shown;
    }

    /** Debian's client, batch mode, the password through the environment; its output or its error. */
    private static String mariadb(String address, String user, String password, String database, String sql)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/mariadb", "--no-defaults", "--protocol=TCP", "-h",
                address, "-P", "3306", "-u", user, "--batch", "--skip-column-names", "--connect-timeout=5", "-e", sql,
                database)).redirectErrorStream(true);
        pb.environment().put("MYSQL_PWD", password);
        Process process = pb.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
