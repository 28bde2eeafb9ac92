package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.allinone.acceptance.CliInstances.address;
import static org.trovej.allinone.acceptance.DatabaseClients.psql;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Backups and restore of PostgreSQL as a user meets them, through Debian's real {@code openstack database backup
 * ...} and {@code instance create --backup} commands against the all-in-one and its local object store: rows
 * written, a backup taken, more rows, a second backup, more rows and changes, an incremental backup
 * ({@code backup create --incremental}, on top of the newest backup); each backup restored into a new instance
 * holds exactly the rows that were there when it was taken (read with the real {@code psql}); a flipped byte in
 * a stored object makes the restore fail with the checksum fault instead of an instance with damaged data; a
 * deleted backup is gone with its objects and the incrementals on top of it.
 */
@ExtendWith(SharedAllInOne.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreCliTest {

    private static final String PROJECT = "backups";
    private static final Duration BUILD = Duration.ofMinutes(3);
    private static final Duration BACKUP = Duration.ofMinutes(3);

    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;
    private CliBackups backups;
    private String source;
    private String sourceAddress;
    private String first;
    private String second;
    private String incremental;

    @BeforeAll
    void start(AllInOneUnderTest trovej) {
        OpenStackCli.requireInstalled();
        this.trovej = trovej;
        cli = trovej.cli(PROJECT);
        instances = new CliInstances(cli, BUILD);
        backups = new CliBackups(cli, BACKUP);
        source = create("bk-source", null);
        sourceAddress = address(instances.awaitActive(source));
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            instances.deleteAll();
        }
    }

    @Test
    @Order(1)
    void aBackupHoldsTheRowsOfItsMomentAndTheInstanceIsActiveAgainAfterIt() {
        psql(sourceAddress, "CREATE TABLE items (n integer PRIMARY KEY); "
                + "INSERT INTO items SELECT generate_series(1, 100)");
        first = backup("first");
        psql(sourceAddress, "INSERT INTO items SELECT generate_series(101, 150)");
        second = backup("second");

        JsonNode shown = cli.run("database", "backup", "show", first, "-f", "json").ok().json();
        assertThat(shown.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(shown.path("instance_id").asText()).isEqualTo(source);
        assertThat(shown.toString()).contains("postgresql");
        assertThat(shown.path("size").asDouble()).isPositive();
        assertThat(shown.path("locationRef").asText()).contains(first).contains("/v1/AUTH_" + PROJECT + "/");

        JsonNode listed = cli.run("database", "backup", "list", "-f", "json").ok().json();
        assertThat(listed.findValuesAsText("ID")).contains(first, second);
        JsonNode ofInstance = cli.run("database", "backup", "list", "--instance-id", source, "-f", "json").ok().json();
        assertThat(ofInstance.findValuesAsText("ID")).containsExactlyInAnyOrder(first, second);

        JsonNode instance = cli.run("database", "instance", "show", source, "-f", "json").ok().json();
        assertThat(instance.path("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    @Order(2)
    void eachBackupRestoresIntoANewInstanceWithExactlyItsRows() {
        String fromFirst = create("bk-restore-1", first);
        String fromSecond = create("bk-restore-2", second);
        assertThat(psql(address(instances.awaitActive(fromFirst)), "SELECT count(*), max(n) FROM items"))
                .isEqualTo("100|100");
        assertThat(psql(address(instances.awaitActive(fromSecond)), "SELECT count(*), max(n) FROM items"))
                .isEqualTo("150|150");
        // the source goes on by itself
        assertThat(psql(sourceAddress, "SELECT count(*) FROM items")).isEqualTo("150");
    }

    @Test
    @Order(3)
    void anIncrementalBackupRestoresOnTopOfItsParentWithExactlyTheRowsOfItsMoment() {
        psql(sourceAddress, "INSERT INTO items SELECT generate_series(151, 200); DELETE FROM items WHERE n IN (7, 99)");
        String expected = psql(sourceAddress, "SELECT string_agg(n::text, ',' ORDER BY n) FROM items");
        incremental = backup("third", "--incremental");
        psql(sourceAddress, "INSERT INTO items SELECT generate_series(201, 210)");

        JsonNode shown = cli.run("database", "backup", "show", incremental, "-f", "json").ok().json();
        assertThat(shown.path("parent_id").asText()).as(shown.toString()).isEqualTo(second);
        assertThat(shown.path("locationRef").asText()).contains(incremental);

        String fromIncremental = create("bk-restore-inc", incremental);
        String restored = address(instances.awaitActive(fromIncremental));
        assertThat(psql(restored, "SELECT string_agg(n::text, ',' ORDER BY n) FROM items")).isEqualTo(expected)
                .startsWith("1,2,3,4,5,6,8,").contains(",98,100,").endsWith(",199,200");
        // its parent, restored again, still holds its own moment's rows
        String fromParent = create("bk-restore-parent", second);
        assertThat(psql(address(instances.awaitActive(fromParent)), "SELECT count(*), min(n), max(n) FROM items"))
                .isEqualTo("150|1|150");
        // the restored instance is an instance like any other: it takes a full backup and an incremental
        psql(restored, "INSERT INTO items VALUES (1000)");
        String ownFull = backupOf(fromIncremental, "restored-full");
        psql(restored, "INSERT INTO items VALUES (1001)");
        String ownIncremental = backupOf(fromIncremental, "restored-incremental", "--incremental");
        assertThat(cli.run("database", "backup", "show", ownIncremental, "-f", "json").ok().json()
                .path("parent_id").asText()).isEqualTo(ownFull);
    }

    @Test
    @Order(4)
    void aFlippedByteInAStoredBackupFailsTheRestoreWithTheChecksumFault() throws IOException {
        Path object = storedObject(first);
        try (RandomAccessFile file = new RandomAccessFile(object.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int b = file.read();
            file.seek(middle);
            file.write(b ^ 0x01);
        }
        String damaged = create("bk-damaged", first);
        JsonNode shown = instances.awaitStatus(damaged, "ERROR");
        assertThat(shown.toString()).as("the fault names the backup and its checksum").contains(first)
                .containsIgnoringCase("checksum");
    }

    @Test
    @Order(5)
    void aDeletedBackupIsGoneWithItsObjects() {
        cli.run("database", "backup", "delete", second).ok();
        long deadline = System.nanoTime() + BACKUP.toNanos();
        while (cli.run("database", "backup", "show", second, "-f", "json").exitCode() == 0
                && System.nanoTime() < deadline) {
            CliInstances.sleep(1000);
        }
        // the client's find_resource: GET by id is 404, then no name matches either
        assertThat(cli.run("database", "backup", "show", second).stderr())
                .contains("No backup with a name or ID of '" + second + "' exists.");
        assertThat(trovej.storedObjects(second)).isEmpty();
        assertThat(cli.run("database", "backup", "list", "-f", "json").ok().json().findValuesAsText("ID"))
                .contains(first).doesNotContain(second);
    }

    @Test
    @Order(6)
    void refusedRequestsChangeNothing() {
        List<String> before = cli.run("database", "backup", "list", "-f", "json").ok().json().findValuesAsText("ID");
        assertThat(cli.run("database", "backup", "create", "nope", "-i",
                "00000000-0000-0000-0000-000000000000").stderr()).contains("HTTP 404");
        assertThat(cli.run("database", "backup", "list", "-f", "json").ok().json().findValuesAsText("ID"))
                .containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    @Order(7)
    void backupStrategiesAreCreatedListedAndDeleted() {
        cli.run("database", "backup", "strategy", "create", "--instance-id", source, "--swift-container",
                "my_backups").ok();
        JsonNode listed = cli.run("database", "backup", "strategy", "list", "--instance-id", source, "-f", "json")
                .ok().json();
        assertThat(listed.toString()).contains("my_backups").contains(source);
        cli.run("database", "backup", "strategy", "delete", "--instance-id", source).ok();
        assertThat(cli.run("database", "backup", "strategy", "list", "--instance-id", source, "-f", "json").ok()
                .json().toString()).doesNotContain("my_backups");
    }

    /** A PostgreSQL instance, restored from {@code backup} unless it is null. */
    private String create(String name, String backup) {
        return backup == null ? instances.create(name, "postgresql")
                : instances.create(name, "postgresql", "--backup", backup);
    }

    private String backup(String name, String... options) {
        return backupOf(source, name, options);
    }

    /** Takes a backup of {@code instance} ({@code options}: e.g. --incremental) and waits until it is COMPLETED. */
    private String backupOf(String instance, String name, String... options) {
        String id = backups.create(instance, name, options);
        backups.awaitCompleted(id);
        instances.awaitActive(instance);
        return id;
    }

    /** The stored object of a backup (the one file in the local store holding its bytes). */
    private Path storedObject(String backupId) {
        List<Path> objects = trovej.storedObjects(backupId);
        assertThat(objects).as("objects of " + backupId).isNotEmpty();
        return objects.stream().max((a, b) -> Long.compare(size(a), size(b))).orElseThrow();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
