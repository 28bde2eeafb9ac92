package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.allinone.acceptance.DatabaseClients.mariadb;
import static org.trovej.allinone.acceptance.DatabaseClients.psql;

import java.time.Duration;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trovej.testsupport.CliCommand;

/**
 * Configuration groups as a user meets them, through Debian's real {@code openstack database configuration ...}
 * against the all-in-one, for PostgreSQL and for MariaDB, each value read back with the engine's own client: a
 * group with {@code max_connections} and dynamic parameters attached to a running instance applies the dynamic
 * ones at once and leaves the instance RESTART_REQUIRED until {@code instance restart} brings the rest; PATCH
 * ({@code parameter set}) and PUT ({@code set}) of the attached group reach the database; detach brings the
 * defaults back; an out-of-range value, an unknown parameter and a wrong type are refused naming the parameter,
 * and the database keeps its values.
 */
@ExtendWith(SharedAllInOne.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigurationGroupsCliTest {

    private static final String PROJECT = "configurations";
    private static final Duration BUILD = Duration.ofMinutes(3);

    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;
    private String postgres;
    private String maria;

    @BeforeAll
    void start(AllInOneUnderTest trovej) {
        OpenStackCli.requireInstalled();
        this.trovej = trovej;
        cli = trovej.cli(PROJECT);
        instances = new CliInstances(cli, BUILD);
        postgres = instances.create("cfg-pg", "postgresql");
        maria = instances.create("cfg-maria", "mariadb");
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            instances.deleteAll();
        }
    }

    @Test
    void postgresqlGroupsAreValidatedAttachedChangedAndDetached() {
        String address = CliInstances.address(instances.awaitActive(postgres));
        Supplier<String> settings = () -> psql(address, "SELECT current_setting('max_connections') || ' ' "
                + "|| current_setting('work_mem') || ' ' || current_setting('log_min_duration_statement')");
        assertThat(settings.get()).isEqualTo("100 4MB -1");
        JsonNode parameters = cli.run("database", "configuration", "parameter", "list", "--datastore", "postgresql",
                "15", "-f", "json").ok().json();
        assertThat(parameters.findValuesAsText("Name")).contains("max_connections", "work_mem")
                .doesNotContain("port", "data_directory", "wal_level");

        refused("postgresql", "15", "{\"max_connections\": 0}", "max_connections", "less than the minimum");
        refused("postgresql", "15", "{\"no_such_setting\": 1}", "no_such_setting", "is not supported");
        refused("postgresql", "15", "{\"work_mem\": \"lots\"}", "work_mem", "is not of type integer");

        String group = createGroup("pg-tuned", "postgresql", "15", "{\"max_connections\": 150, \"work_mem\": 8192}");
        cli.run("database", "configuration", "attach", postgres, group).ok();

        assertThat(settings.get()).as("work_mem at once, max_connections at the next restart")
                .isEqualTo("100 8MB -1");
        assertThat(instances.show(postgres).path("status").asText()).isEqualTo("RESTART_REQUIRED");
        assertThat(cli.run("database", "configuration", "instances", group, "-f", "json").ok().json()
                .findValuesAsText("ID")).containsExactly(postgres);
        assertThat(cli.run("database", "configuration", "show", group, "-f", "json").ok().json()
                .path("instance_count").asInt()).isOne();
        restart(postgres);
        assertThat(settings.get()).isEqualTo("150 8MB -1");

        cli.run("database", "configuration", "parameter", "set", group, "{\"log_min_duration_statement\": 250}").ok();
        assertThat(settings.get()).as("PATCH merges and reaches the database").isEqualTo("150 8MB 250ms");
        assertThat(instances.show(postgres).path("status").asText()).isEqualTo("ACTIVE");

        CliCommand.Result bad = cli.run("database", "configuration", "parameter", "set", group,
                "{\"work_mem\": 10}");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("work_mem").contains("less than the minimum allowed: 64");
        assertThat(settings.get()).as("a refused change changes nothing").isEqualTo("150 8MB 250ms");

        cli.run("database", "configuration", "set", group, "{\"work_mem\": 16384}").ok();
        assertThat(settings.get()).as("PUT replaces: work_mem at once, the others back at the next restart")
                .startsWith("150 16MB");
        restart(postgres);
        assertThat(settings.get()).isEqualTo("100 16MB -1");

        cli.run("database", "configuration", "detach", postgres).ok();
        assertThat(settings.get()).as("the defaults back at once").isEqualTo("100 4MB -1");
        assertThat(instances.show(postgres).path("status").asText()).isEqualTo("ACTIVE");
        assertThat(instances.show(postgres).has("configuration")).isFalse();
        assertThat(cli.run("database", "configuration", "default", postgres, "-f", "json").ok().json()
                .path("max_connections").asText()).isEqualTo("100");
        cli.run("database", "configuration", "delete", group).ok();
    }

    @Test
    void mariadbGroupsAreValidatedAttachedChangedAndDetached() {
        String address = CliInstances.address(instances.awaitActive(maria));
        Supplier<String> settings = () -> mariadb(address, "SELECT CONCAT(@@GLOBAL.max_connections, ' ', "
                + "@@GLOBAL.long_query_time, ' ', @@GLOBAL.back_log)");
        String defaults = settings.get();
        assertThat(defaults).as("max_connections sized by the guest for 512 MB").startsWith("100 10.000000 ");
        String defaultBackLog = defaults.split(" ")[2];

        refused("mariadb", "10.11", "{\"max_connections\": 5}", "max_connections", "less than the minimum");
        refused("mariadb", "10.11", "{\"no_such_variable\": 1}", "no_such_variable", "is not supported");
        refused("mariadb", "10.11", "{\"back_log\": \"many\"}", "back_log", "is not of type integer");

        String group = createGroup("maria-tuned", "mariadb", "10.11",
                "{\"max_connections\": 150, \"long_query_time\": 2.5, \"back_log\": 120}");
        cli.run("database", "configuration", "attach", maria, group).ok();

        assertThat(settings.get()).as("max_connections and long_query_time at once, back_log after a restart")
                .isEqualTo("150 2.500000 " + defaultBackLog);
        assertThat(instances.show(maria).path("status").asText()).isEqualTo("RESTART_REQUIRED");
        restart(maria);
        assertThat(settings.get()).isEqualTo("150 2.500000 120");

        cli.run("database", "configuration", "parameter", "set", group, "{\"max_connections\": 160}").ok();
        assertThat(settings.get()).as("PATCH reaches the database").isEqualTo("160 2.500000 120");

        CliCommand.Result bad = cli.run("database", "configuration", "parameter", "set", group,
                "{\"long_query_time\": \"slow\"}");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("long_query_time").contains("is not of type float");
        assertThat(settings.get()).isEqualTo("160 2.500000 120");

        cli.run("database", "configuration", "set", group, "{\"max_connections\": 170}").ok();
        assertThat(settings.get()).as("PUT replaces: long_query_time back at once, back_log at the next restart")
                .isEqualTo("170 10.000000 120");
        assertThat(instances.show(maria).path("status").asText()).isEqualTo("RESTART_REQUIRED");
        restart(maria);
        assertThat(settings.get()).as("back_log sized by the server again").startsWith("170 10.000000 ")
                .doesNotEndWith(" 120");

        cli.run("database", "configuration", "detach", maria).ok();
        assertThat(settings.get()).as("max_connections back at once").startsWith("100 10.000000 ");
        assertThat(instances.show(maria).path("status").asText()).isEqualTo("ACTIVE");
        assertThat(cli.run("database", "configuration", "default", maria, "-f", "json").ok().json()
                .path("max_connections").asText()).isEqualTo("100");
        restart(maria);
        assertThat(settings.get()).isEqualTo(defaults);
        cli.run("database", "configuration", "delete", group).ok();
    }

    private String createGroup(String name, String datastore, String version, String values) {
        JsonNode created = cli.run("database", "configuration", "create", name, values, "--datastore", datastore,
                "--datastore-version", version, "-f", "json").ok().json();
        assertThat(created.path("instance_count").asInt()).isZero();
        return created.path("id").asText();
    }

    /** A create with these values fails naming the parameter, and no group is left. */
    private void refused(String datastore, String version, String values, String parameter, String reason) {
        int before = cli.run("database", "configuration", "list", "-f", "json").ok().json().size();
        CliCommand.Result result = cli.run("database", "configuration", "create", "refused", values, "--datastore",
                datastore, "--datastore-version", version);
        assertThat(result.exitCode()).as(result.stdout()).isNotZero();
        assertThat(result.stderr()).contains(parameter).contains(reason).contains("HTTP 422");
        assertThat(cli.run("database", "configuration", "list", "-f", "json").ok().json().size()).isEqualTo(before);
    }

    private void restart(String id) {
        cli.run("database", "instance", "restart", id).ok();
        instances.awaitActive(id);
    }
}
