package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

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
 * TroveJ in keystone mode as a cloud user meets it: the real Keystone of scripts/keystone, the all-in-one with
 * {@code trovej.auth.strategy=keystone}, and Debian's {@code openstack} and {@code trove} commands with password
 * authentication, finding TroveJ through the catalog. alpha-user creates an instance; beta-user (another
 * project) can neither see nor touch it; the member may not reset its status, the admin may.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeystoneCliTest {

    private static final Duration BUILD = Duration.ofMinutes(3);

    private KeystoneAllInOne trovej;
    private KeystoneFixture keystone;
    private String instanceId;

    @BeforeAll
    void start() throws IOException {
        trovej = KeystoneAllInOne.start("trovej-keystone-acceptance");
        keystone = trovej.keystone();
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            trovej.close();
        }
    }

    @Test
    @Order(1)
    void catalogCommandsWithPasswordAuthentication() {
        JsonNode flavors = openstack("alpha-user", "database", "flavor", "list", "-f", "json").ok().json();
        assertThat(flavors.findValuesAsText("Name")).contains("ds512M");
        JsonNode datastores = openstack("alpha-user", "datastore", "list", "-f", "json").ok().json();
        assertThat(datastores.findValuesAsText("Name")).contains("postgresql");
        // Horizon and tempest look for these besides the database service (TroveJ's own, or a real cloud's when
        // scripts/openstack-aio registered them first)
        JsonNode catalog = openstack("alpha-user", "catalog", "list", "-f", "json").ok().json();
        assertThat(catalog.findValuesAsText("Type")).contains("database", "compute", "object-store");
    }

    @Test
    @Order(2)
    void theOwnerCreatesListsAndShows() {
        JsonNode created = openstack("alpha-user", "database", "instance", "create", "ks-db", "--flavor", "ds512M",
                "--size", "1", "--datastore", "postgresql", "-f", "json").ok().json();
        instanceId = created.get("id").asText();
        assertThat(created.get("status").asText()).isEqualTo("BUILD");

        JsonNode shown = show("alpha-user");
        long deadline = System.nanoTime() + BUILD.toNanos();
        while (!("ACTIVE".equals(shown.path("status").asText())
                && "HEALTHY".equals(shown.path("operating_status").asText()))
                && !"ERROR".equals(shown.path("status").asText()) && System.nanoTime() < deadline) {
            sleep(1000);
            shown = show("alpha-user");
        }
        assertThat(shown.path("status").asText()).as(shown.toString()).isEqualTo("ACTIVE");
        assertThat(shown.path("name").asText()).isEqualTo("ks-db");

        JsonNode listed = openstack("alpha-user", "database", "instance", "list", "-f", "json").ok().json();
        assertThat(listed.findValuesAsText("ID")).contains(instanceId);
        CliCommand.Result legacy = trove("alpha-user", "list").ok();
        assertThat(legacy.stdout()).contains(instanceId).contains("ks-db");
    }

    @Test
    @Order(3)
    void anotherProjectCannotSeeOrTouchIt() {
        JsonNode listed = openstack("beta-user", "database", "instance", "list", "-f", "json").ok().json();
        assertThat(listed.findValuesAsText("ID")).doesNotContain(instanceId);
        assertThat(trove("beta-user", "list").ok().stdout()).doesNotContain(instanceId);

        for (List<String> command : List.of(List.of("database", "instance", "show", instanceId),
                List.of("database", "instance", "restart", instanceId),
                List.of("database", "instance", "delete", instanceId))) {
            CliCommand.Result refused = openstack("beta-user", command.toArray(String[]::new));
            assertThat(refused.exitCode()).as(command + ": " + refused.stdout()).isNotZero();
            assertThat((refused.stdout() + refused.stderr()).toLowerCase()).as(command.toString())
                    .containsAnyOf("not found", "no instance with a name or id", "404");
        }
        CliCommand.Result legacyShow = trove("beta-user", "show", instanceId);
        assertThat(legacyShow.exitCode()).isNotZero();
        assertThat((legacyShow.stdout() + legacyShow.stderr()).toLowerCase()).containsAnyOf("not found", "no instance with a name or id");
        // still there for its owner, untouched
        assertThat(show("alpha-user").path("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    @Order(4)
    void updateDatabasesQuotasAndLimitsKeepToTheirProjects() {
        openstack("alpha-user", "database", "instance", "update", instanceId, "--name", "ks-db-renamed").ok();
        assertThat(show("alpha-user").path("name").asText()).isEqualTo("ks-db-renamed");
        assertThat(openstack("beta-user", "database", "instance", "update", instanceId, "--name", "stolen")
                .exitCode()).isNotZero();

        openstack("alpha-user", "database", "db", "create", instanceId, "ksdb").ok();
        assertThat(openstack("alpha-user", "database", "db", "list", instanceId, "-f", "json").ok().json()
                .findValuesAsText("Name")).contains("ksdb");
        CliCommand.Result foreignDbs = openstack("beta-user", "database", "db", "list", instanceId);
        assertThat(foreignDbs.exitCode()).isNotZero();
        assertThat(foreignDbs.stdout() + foreignDbs.stderr()).doesNotContain("ksdb");
        assertThat(openstack("beta-user", "database", "root", "enable", instanceId).exitCode()).isNotZero();

        String alphaProject = keystone.projectId("alpha-user");
        JsonNode quotas = openstack("alpha-user", "database", "quota", "show", alphaProject, "-f", "json").ok().json();
        assertThat(quotas.findValuesAsText("Resource")).contains("instances", "volumes");
        assertThat(openstack("beta-user", "database", "quota", "show", alphaProject).exitCode()).isNotZero();
        CliCommand.Result memberUpdate = openstack("alpha-user", "database", "quota", "update", alphaProject, "instances", "3");
        assertThat(memberUpdate.exitCode()).isNotZero();
        assertThat(memberUpdate.stdout() + memberUpdate.stderr()).contains("401");
        openstack("admin", "database", "quota", "update", alphaProject, "instances", "7").ok();
        JsonNode updated = openstack("alpha-user", "database", "quota", "show", alphaProject, "-f", "json").ok().json();
        assertThat(updated.toString()).contains("7");

        CliCommand.Result limits = openstack("alpha-user", "database", "limit", "list").ok();
        assertThat(limits.stdout()).contains("ABSOLUTE");
    }

    @Test
    @Order(5)
    void resetStatusIsForAdminsOnly() {
        CliCommand.Result refused = openstack("alpha-user", "database", "instance", "reset", "status", instanceId);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stdout() + refused.stderr()).contains("Policy doesn't allow instance:reset_status to be performed.")
                .contains("403");
        // the admin addresses alpha's instance from its own project (the catalog puts the admin project in the path)
        openstack("admin", "database", "instance", "reset", "status", instanceId).ok();
    }

    @Test
    @Order(6)
    void theOwnerDeletesIt() {
        openstack("alpha-user", "database", "instance", "delete", instanceId).ok();
        long deadline = System.nanoTime() + BUILD.toNanos();
        CliCommand.Result show = openstack("alpha-user", "database", "instance", "show", instanceId);
        while (show.exitCode() == 0 && System.nanoTime() < deadline) {
            sleep(500);
            show = openstack("alpha-user", "database", "instance", "show", instanceId);
        }
        assertThat(show.exitCode()).as("deleted: " + show.stdout()).isNotZero();
    }

    private JsonNode show(String user) {
        return openstack(user, "database", "instance", "show", instanceId, "-f", "json").ok().json();
    }

    private CliCommand.Result openstack(String user, String... args) {
        return trovej.openstack(user, args);
    }

    private CliCommand.Result trove(String user, String... args) {
        return trovej.trove(user, args);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
