package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.testsupport.CliCommand;

/**
 * Instances as an acceptance test drives them through Debian's {@code openstack database instance ...}: created
 * with {@code appdb} and {@code appuser}, waited for by their status as a user would poll it, and deleted at
 * the end of the test.
 */
final class CliInstances {

    /** Runs one {@code openstack} command as the test's user (noauth, or a Keystone user). */
    interface Runner {
        CliCommand.Result run(String... args);
    }

    private final Runner cli;
    private final Duration timeout;
    private final List<String> created = new ArrayList<>();

    CliInstances(OpenStackCli cli, Duration timeout) {
        this(cli::run, timeout);
    }

    CliInstances(Runner cli, Duration timeout) {
        this.cli = cli;
        this.timeout = timeout;
    }

    /** A new instance of the datastore (flavor ds512M, 1 GB), with {@code extra} arguments appended; its id. */
    String create(String name, String datastore, String... extra) {
        List<String> args = new ArrayList<>(List.of("database", "instance", "create", name, "--flavor", "ds512M",
                "--size", "1", "--datastore", datastore, "--databases", "appdb", "--users",
                DatabaseClients.USER + ":" + DatabaseClients.PASSWORD, "-f", "json"));
        args.addAll(List.of(extra));
        String id = cli.run(args.toArray(String[]::new)).ok().json().get("id").asText();
        created.add(id);
        return id;
    }

    /** An instance made otherwise (a replica), deleted at the end like the others. */
    void track(String id) {
        created.add(id);
    }

    JsonNode show(String id) {
        return cli.run("database", "instance", "show", id, "-f", "json").ok().json();
    }

    /** Waits for ACTIVE with a HEALTHY database. */
    JsonNode awaitActive(String id) {
        JsonNode shown = awaitStatus(id, "ACTIVE");
        assertThat(shown.path("operating_status").asText()).as(shown.toString()).isEqualTo("HEALTHY");
        return shown;
    }

    /** Waits for the status (ACTIVE: with a HEALTHY database); an ERROR not waited for ends the wait at once. */
    JsonNode awaitStatus(String id, String wanted) {
        JsonNode shown = await(id, s -> wanted.equals(s.path("status").asText())
                && (!"ACTIVE".equals(wanted) || "HEALTHY".equals(s.path("operating_status").asText()))
                || "ERROR".equals(s.path("status").asText()) && !"ERROR".equals(wanted));
        assertThat(shown.path("status").asText()).as(shown.toString()).isEqualTo(wanted);
        return shown;
    }

    /**
     * Shows the instance once a second until {@code done} holds or the timeout has passed; the last answer,
     * for the caller to assert on (for waits that are not a status, e.g. a new flavor).
     */
    JsonNode await(String id, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode shown = show(id);
        while (!done.test(shown) && System.nanoTime() < deadline) {
            sleep(1000);
            shown = show(id);
        }
        return shown;
    }

    /** The instance's (first) address. */
    static String address(JsonNode shown) {
        return shown.get("addresses").toString().replaceAll(".*\"address\":\\s*\"([0-9.]+)\".*", "$1");
    }

    void delete(String id) {
        cli.run("database", "instance", "delete", id).ok();
        created.remove(id);
    }

    /** Deletes what is left of what this test made (at its end, before the all-in-one stops). */
    void deleteAll() {
        for (String id : List.copyOf(created)) {
            cli.run("database", "instance", "delete", id);
        }
        created.clear();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
