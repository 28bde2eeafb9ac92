package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.allinone.acceptance.CliInstances.address;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.taskmanager.compute.local.LocalComputeDriver;
import org.trovej.taskmanager.compute.local.LocalLayout;

/**
 * Replication as a user meets it, through Debian's {@code openstack database instance create --replica-of},
 * {@code promote}, {@code eject} and {@code show}, with the rows read by Debian's own client on each instance: a
 * source with rows and two replicas that get them and refuse writes; a promote under writes that loses no committed
 * row, after which the new source's writes reach the other replica and the old source; the new source's database
 * stopped and {@code eject} electing one of the others; and, with automatic failover on (this all-in-one runs with
 * it, see {@link SharedAllInOne}), a source whose host dies (guest and database killed, server powered off) replaced
 * by its replica with no one asking. One engine per subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReplicationCliScenario {

    private static final Duration BUILD = Duration.ofMinutes(4);
    /** Rows reach a replica within this (asynchronous replication, on one machine). */
    private static final Duration REPLICATION_LAG = Duration.ofSeconds(60);

    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;
    private String source;
    private String first;
    private String second;
    /** After the eject: the source and its one replica. */
    private String ejectSource;
    private String ejectReplica;

    /** The datastore ({@code postgresql}, {@code mariadb}). */
    abstract String datastore();

    abstract String project();

    /** Creates the table {@code items (n int primary key)} if needed and inserts {@code from..to}. */
    abstract void insert(String address, int from, int to);

    /** How many rows {@code items} has on the instance at {@code address}. */
    abstract int count(String address);

    /** A user's write on {@code address}: its client's exit code and output. */
    abstract DatabaseClients.Outcome tryWrite(String address);

    /** The database server's pid file under the instance's volume. */
    abstract Path serverPidFile(LocalLayout layout, String instanceId);

    @BeforeAll
    void start(AllInOneUnderTest trovej) {
        OpenStackCli.requireInstalled();
        this.trovej = trovej;
        cli = trovej.cli(project());
        instances = new CliInstances(cli, BUILD);
    }

    @AfterAll
    void stop() {
        if (instances == null) {
            return;
        }
        // a source is deleted only once its replicas are gone (Trove's 403 until then)
        List<String> left = new ArrayList<>(List.of(source, first, second).stream()
                .filter(Objects::nonNull).toList());
        for (int round = 0; round < 40 && !left.isEmpty(); round++) {
            left.removeIf(id -> cli.run("database", "instance", "delete", id).exitCode() == 0);
            if (!left.isEmpty()) {
                CliInstances.sleep(1500);
            }
        }
        instances.deleteAll();
    }

    @Test
    @Order(1)
    void twoReplicasGetTheSourcesRowsFollowItsWritesAndRefuseTheirOwn() {
        source = instances.create("repl-src-" + datastore(), datastore());
        String sourceAddress = address(instances.awaitActive(source));
        insert(sourceAddress, 1, 100);

        first = replica("repl-a-" + datastore());
        second = replica("repl-b-" + datastore());
        String firstAddress = address(instances.awaitActive(first));
        String secondAddress = address(instances.awaitActive(second));

        awaitCount(firstAddress, 100);
        awaitCount(secondAddress, 100);
        insert(sourceAddress, 101, 150);
        awaitCount(firstAddress, 150);
        awaitCount(secondAddress, 150);
        DatabaseClients.Outcome refused = tryWrite(firstAddress);
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(count(firstAddress)).isEqualTo(150);

        JsonNode shownSource = instances.show(source);
        assertThat(shownSource.path("replicas").toString()).contains(first).contains(second);
        assertThat(instances.show(first).path("replica_of").asText()).isEqualTo(source);
        List<String> backups = cli.run("database", "backup", "list", "-f", "json").ok().json().findValuesAsText("ID");
        assertThat(backups).as("the replicas' snapshots are deleted once they are built").isEmpty();
    }

    @Test
    @Order(2)
    void aPromoteUnderWritesLosesNoCommittedRowAndTheNewSourceFeedsTheOthers() {
        String sourceAddress = address(instances.show(source));
        insert(sourceAddress, 151, 160); // committed just before the promote

        cli.run("database", "instance", "promote", first).ok();
        String firstAddress = address(instances.awaitActive(first));
        instances.awaitActive(source);
        String secondAddress = address(instances.awaitActive(second));

        assertThat(count(firstAddress)).isEqualTo(160);
        JsonNode shownFirst = instances.show(first);
        assertThat(shownFirst.path("replica_of").isMissingNode() || shownFirst.path("replica_of").isNull()
                || shownFirst.path("replica_of").asText().isEmpty()).as(shownFirst.toString()).isTrue();
        assertThat(shownFirst.path("replicas").toString()).contains(source).contains(second);
        assertThat(instances.show(source).path("replica_of").asText()).isEqualTo(first);
        insert(firstAddress, 161, 180);
        awaitCount(sourceAddress, 180);
        awaitCount(secondAddress, 180);
        DatabaseClients.Outcome refused = tryWrite(sourceAddress);
        assertThat(refused.exitCode()).as("the old source is a replica now: " + refused.output()).isNotZero();
    }

    @Test
    @Order(3)
    void ejectElectsANewSourceWhenTheSourcesDatabaseIsDown() throws Exception {
        // down and staying down: stopped by an admin (a database that merely died is started again by its guest)
        stopDatabase(first);
        instances.await(first, s -> "SHUTDOWN".equals(s.path("status").asText())
                || "SHUTDOWN".equals(s.path("operating_status").asText()));

        cli.run("database", "instance", "eject", first).ok();
        JsonNode ejected = instances.await(first, s -> !s.path("replicas").toString().contains(second)
                && !"EJECT".equals(s.path("status").asText()));
        assertThat(ejected.path("replicas").toString()).as(ejected.toString()).doesNotContain(source);
        JsonNode shownSource = instances.show(source);
        ejectSource = shownSource.path("replicas").toString().contains(second) ? source : second;
        ejectReplica = ejectSource.equals(source) ? second : source;
        String newSourceAddress = address(instances.awaitActive(ejectSource));
        String replicaAddress = address(instances.awaitActive(ejectReplica));
        assertThat(instances.show(ejectReplica).path("replica_of").asText()).isEqualTo(ejectSource);
        assertThat(count(newSourceAddress)).isEqualTo(180);
        insert(newSourceAddress, 181, 190);
        awaitCount(replicaAddress, 190);
    }

    @Test
    @Order(4)
    void withAutomaticFailoverASourceWhoseGuestAndDatabaseDieIsReplacedByItsReplica() {
        LocalLayout layout = trovej.context().getBean(LocalLayout.class);
        long database = pid(serverPidFile(layout, ejectSource));
        long guest = pid(layout.guestPid(ejectSource));
        // the source's host dies: guest and database killed, and the server powered off, so that nothing on that
        // host brings them back (a guest that only crashed is restarted by the supervisor instead: no failover)
        kill(guest);
        kill(database);
        trovej.context().getBean(LocalComputeDriver.class).powerOff(ejectSource);

        JsonNode promoted = instances.await(ejectReplica, s -> (s.path("replica_of").isMissingNode()
                || s.path("replica_of").asText().isEmpty()) && "ACTIVE".equals(s.path("status").asText())
                && "HEALTHY".equals(s.path("operating_status").asText()));
        assertThat(promoted.path("replica_of").asText()).as(promoted.toString()).isEmpty();
        String address = address(promoted);
        assertThat(count(address)).as("every row committed on the dead source").isEqualTo(190);
        insert(address, 191, 200);
        assertThat(count(address)).isEqualTo(200);
        JsonNode dead = instances.show(ejectSource);
        assertThat(dead.toString()).as("the event is on the old source").contains("Automatic failover");
    }

    private String replica(String name) {
        String id = cli.run("database", "instance", "create", name, "--replica-of", source, "-f", "json").ok().json()
                .get("id").asText();
        instances.track(id);
        return id;
    }

    private void awaitCount(String address, int expected) {
        long deadline = System.nanoTime() + REPLICATION_LAG.toNanos();
        int seen = countOrMinus(address);
        while (seen != expected && System.nanoTime() < deadline) {
            CliInstances.sleep(500);
            seen = countOrMinus(address);
        }
        assertThat(seen).as("rows on " + address).isEqualTo(expected);
    }

    private int countOrMinus(String address) {
        try {
            return count(address);
        } catch (AssertionError e) {
            return -1; // the table is not there yet
        }
    }

    private static long pid(Path pidFile) {
        try {
            return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The management API's {@code stop} action, as an admin (noauth's {@code X-Roles}). */
    private void stopDatabase(String instanceId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(trovej.api(project()) + "/mgmt/instances/"
                        + instanceId + "/action"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("X-Roles", "admin")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stop\": {}}")).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    }
}
