package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.allinone.acceptance.CliInstances.address;
import static org.trovej.allinone.acceptance.DatabaseClients.psql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A PostgreSQL instance upgraded from the older major the embedded default offers (Maven Central's 14) to the host's
 * (Debian's 15) through Debian's {@code openstack database instance upgrade}: pg_upgrade converts its data, the rows
 * are all there on the new server, the instance shows the new version, and what was kept of the old cluster is gone.
 * Refused upgrades (an unknown version, a downgrade, while another task runs) change nothing, and one whose new
 * version cannot start on the converted data leaves the old version running, with a fault saying why.
 */
@ExtendWith(SharedAllInOne.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatastoreUpgradeCliTest {

    private static final Duration BUILD = Duration.ofMinutes(5);

    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;
    private String id;
    private String address;
    private String older;
    private String newer;

    @BeforeAll
    void start(AllInOneUnderTest trovej) {
        OpenStackCli.requireInstalled();
        this.trovej = trovej;
        cli = trovej.cli("upgrades");
        instances = new CliInstances(cli, BUILD);
        List<String> versions = cli.run("datastore", "version", "list", "postgresql", "-f", "json").ok().json()
                .findValuesAsText("Name");
        assertThat(versions).as("the embedded default offers Maven Central's PostgreSQL 14 beside the host's 15")
                .contains("14", "15");
        older = "14";
        newer = "15";
        id = instances.create("upg-pg", "postgresql", "--datastore-version", older);
        address = address(instances.awaitActive(id));
        psql(address, "CREATE TABLE items (n int PRIMARY KEY, label text); "
                + "INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, 500) g");
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            instances.deleteAll();
        }
    }

    private Path volume() {
        return trovej.stateDir().resolve("instances").resolve(id).resolve("volume");
    }

    @Test
    @Order(1)
    void refusedUpgradesChangeNothing() {
        assertThat(cli.run("database", "instance", "upgrade", id, "9.9").stderr())
                .contains("Datastore version '9.9' cannot be found.").contains("HTTP 400");
        JsonNode shown = instances.show(id);
        assertThat(shown.path("datastore_version").asText()).isEqualTo(older);
        assertThat(shown.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(psql(address, "SHOW server_version")).startsWith("14.");
    }

    /**
     * A setting PostgreSQL 15 no longer has ({@code stats_temp_directory}, removed in 15) in the cluster's
     * configuration, as an operator might have left it (planted in a configuration layer of its own): the converted
     * data does not start on 15, so the old cluster is put back and runs, with a fault saying why.
     */
    @Test
    @Order(2)
    void anUpgradeThatCannotStartTheNewVersionKeepsTheOldOneRunning() throws IOException {
        Path planted = volume().resolve("data").resolve("conf.d").resolve("95-operator.conf");
        Files.writeString(planted, "stats_temp_directory = 'pg_stat_tmp'\n");
        try {
            cli.run("database", "instance", "upgrade", id, newer).ok();
            JsonNode shown = instances.await(id, s -> s.path("fault").asText().contains("could not be upgraded"));
            assertThat(shown.path("fault").asText()).as(shown.toString())
                    .contains("The instance could not be upgraded to datastore version 15")
                    .contains("PostgreSQL 15 did not start on the converted data").contains("stats_temp_directory");
            shown = instances.awaitActive(id);
            assertThat(shown.path("datastore_version").asText()).isEqualTo(older);
            assertThat(psql(address, "SHOW server_version")).startsWith("14.");
            assertThat(psql(address, "SELECT count(*) FROM items")).isEqualTo("500");
            assertThat(planted).as("the old cluster, as it was").exists();
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    @Test
    @Order(3)
    void theUpgradeConvertsTheDataToTheNewMajor() {
        cli.run("database", "instance", "upgrade", id, newer).ok();
        // the task runs: a second upgrade (and any other action) waits its turn
        assertThat(cli.run("database", "instance", "upgrade", id, newer).stderr()).contains("HTTP 422");
        JsonNode shown = instances.awaitActive(id);
        assertThat(shown.path("datastore_version").asText()).as(shown.toString()).isEqualTo(newer);
        assertThat(psql(address, "SHOW server_version")).startsWith("15.");
        assertThat(psql(address, "SELECT count(*), sum(n), max(label) FROM items")).isEqualTo("500|125250|row 99");
        psql(address, "INSERT INTO items VALUES (501, 'after')");
        assertThat(psql(address, "SELECT count(*) FROM items")).isEqualTo("501");
        // post_upgrade removed the old cluster and its WAL archive from the volume
        try (Stream<Path> files = Files.list(volume())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("the volume of " + id)
                    .contains("data").noneMatch(n -> n.matches("(data|wal_archive)\\.pg\\d+|data\\.upgrading"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(4)
    void aDowngradeIsRefused() {
        assertThat(cli.run("database", "instance", "upgrade", id, older).stderr())
                .contains("HTTP 400").contains("older");
        assertThat(instances.show(id).path("datastore_version").asText()).isEqualTo(newer);
    }
}
