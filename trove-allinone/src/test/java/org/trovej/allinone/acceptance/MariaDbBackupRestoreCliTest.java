package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.allinone.acceptance.CliInstances.address;
import static org.trovej.allinone.acceptance.DatabaseClients.mariadb;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * MariaDB's full and incremental backups as a user meets them, through Debian's real {@code openstack database
 * backup create [--incremental]} and {@code instance create --backup} against the all-in-one and its local object
 * store: rows written, a full backup, rows added, changed and deleted, an incremental, more rows, an incremental
 * on that; each backup restored into a new instance holds exactly the rows of its moment (read with Debian's
 * {@code mariadb} client); a flipped byte in the middle of the chain fails the restore of its child with the
 * checksum fault.
 */
@ExtendWith(SharedAllInOne.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbBackupRestoreCliTest {

    private static final String PROJECT = "mariadb-backups";
    private static final Duration BUILD = Duration.ofMinutes(3);
    private static final Duration BACKUP = Duration.ofMinutes(3);

    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;
    private CliBackups cliBackups;
    private String source;
    private String sourceAddress;
    /** The backups, oldest first, and the rows of items and notes when each was taken. */
    private final List<String> backups = new ArrayList<>();
    private final List<List<String>> itemsAt = new ArrayList<>();
    private final List<List<String>> notesAt = new ArrayList<>();

    @BeforeAll
    void start(AllInOneUnderTest trovej) {
        OpenStackCli.requireInstalled();
        this.trovej = trovej;
        cli = trovej.cli(PROJECT);
        instances = new CliInstances(cli, BUILD);
        cliBackups = new CliBackups(cli, BACKUP);
        source = create("mbk-source", null);
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
    void aFullBackupThenIncrementalsEachOnTheNewestHoldTheRowsOfTheirMoment() {
        mariadb(sourceAddress, "CREATE TABLE items (n int PRIMARY KEY, note varchar(20)) ENGINE=InnoDB; "
                + "INSERT INTO items SELECT seq, 'first' FROM seq_1_to_100; "
                + "CREATE TABLE notes (t varchar(20)) ENGINE=MyISAM; INSERT INTO notes VALUES ('one')");
        String full = backup("full", false);

        mariadb(sourceAddress, "INSERT INTO items SELECT seq, 'second' FROM seq_101_to_150; "
                + "DELETE FROM items WHERE n <= 10; UPDATE items SET note = 'changed' WHERE n = 50; "
                + "INSERT INTO notes VALUES ('two')");
        String firstIncremental = backup("incremental-1", true);

        mariadb(sourceAddress, "INSERT INTO items SELECT seq, 'third' FROM seq_151_to_175; "
                + "DELETE FROM notes WHERE t = 'one'");
        String secondIncremental = backup("incremental-2", true);

        JsonNode shownFull = show(full);
        assertThat(shownFull.path("parent_id").isNull() || shownFull.path("parent_id").asText().isEmpty()).isTrue();
        assertThat(shownFull.toString()).contains("mariadb");
        assertThat(shownFull.path("locationRef").asText()).endsWith(full + ".xbstream.zst.enc")
                .contains("/v1/AUTH_" + PROJECT + "/");
        assertThat(show(firstIncremental).path("parent_id").asText()).isEqualTo(full);
        assertThat(show(secondIncremental).path("parent_id").asText()).isEqualTo(firstIncremental);
        assertThat(show(secondIncremental).path("locationRef").asText()).endsWith(secondIncremental
                + ".xbstream.zst.enc");
        JsonNode ofInstance = cli.run("database", "backup", "list", "--instance-id", source, "-f", "json").ok().json();
        assertThat(ofInstance.findValuesAsText("ID")).containsExactlyInAnyOrder(full, firstIncremental,
                secondIncremental);
        assertThat(itemsAt.get(2)).hasSize(100 + 50 - 10 + 25).contains("50|changed").doesNotContain("1|first");
        assertThat(notesAt.get(2)).containsExactly("two");
    }

    @Test
    @Order(2)
    void eachBackupRestoresIntoANewInstanceWithExactlyItsRows() {
        for (int i = 0; i < backups.size(); i++) {
            String restored = create("mbk-restore-" + i, backups.get(i));
            String address = address(instances.awaitActive(restored));
            assertThat(items(address)).as("items restored from backup " + i).isEqualTo(itemsAt.get(i));
            assertThat(notes(address)).as("notes restored from backup " + i).isEqualTo(notesAt.get(i));
            // the users came with the data, with their passwords
            assertThat(mariadb(address, "SELECT CURRENT_USER()")).isEqualTo("appuser@%");
            instances.delete(restored);
        }
        // the source goes on by itself
        assertThat(items(sourceAddress)).isEqualTo(itemsAt.get(2));
    }

    @Test
    @Order(3)
    void aFlippedByteInTheMiddleOfTheChainFailsTheRestoreOfItsChildWithTheChecksumFault() throws IOException {
        Path object = storedObject(backups.get(1));
        try (RandomAccessFile file = new RandomAccessFile(object.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int b = file.read();
            file.seek(middle);
            file.write(b ^ 0x01);
        }
        String damaged = create("mbk-damaged", backups.get(2));
        JsonNode shown = instances.awaitStatus(damaged, "ERROR");
        assertThat(shown.toString()).as("the fault names the damaged backup and its checksum")
                .contains(backups.get(1)).containsIgnoringCase("checksum");
    }

    /** A MariaDB instance, restored from {@code backup} unless it is null. */
    private String create(String name, String backup) {
        return backup == null ? instances.create(name, "mariadb")
                : instances.create(name, "mariadb", "--backup", backup);
    }

    /** Takes a backup (with {@code --incremental}: on the instance's newest) and records the rows it must hold. */
    private String backup(String name, boolean incremental) {
        String id = incremental ? cliBackups.create(source, name, "--incremental") : cliBackups.create(source, name);
        JsonNode shown = cliBackups.awaitCompleted(id);
        assertThat(shown.path("size").asDouble()).isPositive();
        instances.awaitActive(source);
        backups.add(id);
        itemsAt.add(items(sourceAddress));
        notesAt.add(notes(sourceAddress));
        return id;
    }

    private JsonNode show(String backupId) {
        return cliBackups.show(backupId);
    }

    private static List<String> items(String address) {
        return lines(mariadb(address, "SELECT CONCAT(n, '|', note) FROM items ORDER BY n"));
    }

    private static List<String> notes(String address) {
        return lines(mariadb(address, "SELECT t FROM notes ORDER BY t"));
    }

    private static List<String> lines(String output) {
        return output.isEmpty() ? List.of() : output.lines().toList();
    }

    /** The stored object of a backup (the largest file in the local store holding its bytes). */
    private Path storedObject(String backupId) {
        return trovej.storedObjects(backupId).stream()
                .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                .orElseThrow(() -> new AssertionError("no stored object of " + backupId));
    }
}
