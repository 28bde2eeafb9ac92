package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Backups as an acceptance test takes them through Debian's {@code openstack database backup ...}: created, and
 * waited for by their status as a user would poll it.
 */
final class CliBackups {

    private final OpenStackCli cli;
    private final Duration timeout;

    CliBackups(OpenStackCli cli, Duration timeout) {
        this.cli = cli;
        this.timeout = timeout;
    }

    /** Asks for a backup of {@code instance} ({@code options}: e.g. --incremental); its id (not waited for). */
    String create(String instance, String name, String... options) {
        List<String> args = new ArrayList<>(List.of("database", "backup", "create", name, "-i", instance, "-f",
                "json"));
        args.addAll(List.of(options));
        return cli.run(args.toArray(String[]::new)).ok().json().get("id").asText();
    }

    JsonNode show(String id) {
        return cli.run("database", "backup", "show", id, "-f", "json").ok().json();
    }

    /** Waits until the backup is COMPLETED (a FAILED one ends the wait at once); its last show. */
    JsonNode awaitCompleted(String id) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode shown = show(id);
        while (!"COMPLETED".equals(shown.path("status").asText()) && !"FAILED".equals(shown.path("status").asText())
                && System.nanoTime() < deadline) {
            CliInstances.sleep(1000);
            shown = show(id);
        }
        assertThat(shown.path("status").asText()).as(shown.toString()).isEqualTo("COMPLETED");
        return shown;
    }
}
