package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.trovej.allinone.AllInOneApplication;

/**
 * MariaDB's full and incremental backups as a user meets them, through Debian's real {@code openstack database
 * backup create [--incremental]} and {@code instance create --backup} against the all-in-one and its local object
 * store: rows written, a full backup, rows added, changed and deleted, an incremental, more rows, an incremental
 * on that; each backup restored into a new instance holds exactly the rows of its moment (read with Debian's
 * {@code mariadb} client); a flipped byte in the middle of the chain fails the restore of its child with the
 * checksum fault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbBackupRestoreCliTest {

    private static final String PROJECT = "mariadb-backups";
    private static final Duration BUILD = Duration.ofMinutes(3);
    private static final Duration BACKUP = Duration.ofMinutes(3);

    private Path stateDir;
    private ConfigurableApplicationContext trovej;
    private OpenStackCli cli;
    private final List<String> instances = new ArrayList<>();
    private String source;
    private String sourceAddress;
    /** The backups, oldest first, and the rows of items and notes when each was taken. */
    private final List<String> backups = new ArrayList<>();
    private final List<List<String>> itemsAt = new ArrayList<>();
    private final List<List<String>> notesAt = new ArrayList<>();

    @BeforeAll
    void start() {
        OpenStackCli.requireInstalled();
        try {
            stateDir = Files.createTempDirectory("trovej-mariadb-backups",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        trovej = AllInOneApplication.application().run(
                "--server.port=0",
                "--trovej.state-dir=" + stateDir,
                "--trovej.embedded.postgres-port=0",
                "--trovej.embedded.amqp-port=0",
                "--trovej.local.report-interval=2s");
        int port = ((ServletWebServerApplicationContext) trovej).getWebServer().getPort();
        cli = new OpenStackCli("http://127.0.0.1:" + port + "/v1.0/" + PROJECT);
        source = create("mbk-source", null);
        sourceAddress = address(awaitActive(source));
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            for (String id : instances) {
                cli.run("database", "instance", "delete", id);
            }
            trovej.close(); // powers the local servers off, and their databases with them
        }
        if (stateDir != null) {
            FileSystemUtils.deleteRecursively(stateDir.toFile());
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
        assertThat(shownFull.path("locationRef").asText()).endsWith(full + ".xbstream.gz.enc")
                .contains("/v1/AUTH_" + PROJECT + "/");
        assertThat(show(firstIncremental).path("parent_id").asText()).isEqualTo(full);
        assertThat(show(secondIncremental).path("parent_id").asText()).isEqualTo(firstIncremental);
        assertThat(show(secondIncremental).path("locationRef").asText()).endsWith(secondIncremental
                + ".xbstream.gz.enc");
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
            String address = address(awaitActive(restored));
            assertThat(items(address)).as("items restored from backup " + i).isEqualTo(itemsAt.get(i));
            assertThat(notes(address)).as("notes restored from backup " + i).isEqualTo(notesAt.get(i));
            // the users came with the data, with their passwords
            assertThat(mariadb(address, "SELECT CURRENT_USER()")).isEqualTo("appuser@%");
            delete(restored);
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
        JsonNode shown = awaitStatus(damaged, "ERROR");
        assertThat(shown.toString()).as("the fault names the damaged backup and its checksum")
                .contains(backups.get(1)).containsIgnoringCase("checksum");
    }

    private String create(String name, String backup) {
        List<String> args = new ArrayList<>(List.of("database", "instance", "create", name, "--flavor", "ds512M",
                "--size", "1", "--datastore", "mariadb", "--databases", "appdb", "--users", "appuser:App-Pass-1",
                "-f", "json"));
        if (backup != null) {
            args.addAll(List.of("--backup", backup));
        }
        String id = cli.run(args.toArray(String[]::new)).ok().json().get("id").asText();
        instances.add(id);
        return id;
    }

    private void delete(String id) {
        cli.run("database", "instance", "delete", id).ok();
        instances.remove(id);
    }

    /** Takes a backup (with {@code --incremental}: on the instance's newest) and records the rows it must hold. */
    private String backup(String name, boolean incremental) {
        List<String> args = new ArrayList<>(List.of("database", "backup", "create", name, "-i", source, "-f",
                "json"));
        if (incremental) {
            args.add("--incremental");
        }
        String id = cli.run(args.toArray(String[]::new)).ok().json().get("id").asText();
        long deadline = System.nanoTime() + BACKUP.toNanos();
        JsonNode shown = show(id);
        while (!"COMPLETED".equals(shown.path("status").asText()) && !"FAILED".equals(shown.path("status").asText())
                && System.nanoTime() < deadline) {
            sleep(1000);
            shown = show(id);
        }
        assertThat(shown.path("status").asText()).as(shown.toString()).isEqualTo("COMPLETED");
        assertThat(shown.path("size").asDouble()).isPositive();
        awaitActive(source);
        backups.add(id);
        itemsAt.add(items(sourceAddress));
        notesAt.add(notes(sourceAddress));
        return id;
    }

    private JsonNode show(String backupId) {
        return cli.run("database", "backup", "show", backupId, "-f", "json").ok().json();
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
        Path root = stateDir.resolve("objects");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().contains(backupId))
                    .filter(p -> !p.getFileName().toString().endsWith(".json"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                    .orElseThrow(() -> new AssertionError("no stored object of " + backupId + " in " + root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Debian's client as the instance's user in appdb, batch mode, the password through the environment. */
    private static String mariadb(String address, String sql) {
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/mariadb", "--no-defaults", "--protocol=TCP", "-h",
                address, "-P", "3306", "-u", "appuser", "--batch", "--skip-column-names", "--connect-timeout=5",
                "-e", sql, "appdb")).redirectErrorStream(true);
        pb.environment().put("MYSQL_PWD", "App-Pass-1");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("mariadb failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String address(JsonNode shown) {
        return shown.get("addresses").toString().replaceAll(".*\"address\":\\s*\"([0-9.]+)\".*", "$1");
    }

    private JsonNode awaitActive(String id) {
        JsonNode shown = awaitStatus(id, "ACTIVE");
        assertThat(shown.path("operating_status").asText()).as(shown.toString()).isEqualTo("HEALTHY");
        return shown;
    }

    private JsonNode awaitStatus(String id, String wanted) {
        long deadline = System.nanoTime() + BUILD.toNanos();
        JsonNode shown = cli.run("database", "instance", "show", id, "-f", "json").ok().json();
        while (!(wanted.equals(shown.path("status").asText())
                && (!"ACTIVE".equals(wanted) || "HEALTHY".equals(shown.path("operating_status").asText())))
                && !("ERROR".equals(shown.path("status").asText()) && !"ERROR".equals(wanted))
                && System.nanoTime() < deadline) {
            sleep(1000);
            shown = cli.run("database", "instance", "show", id, "-f", "json").ok().json();
        }
        assertThat(shown.path("status").asText()).as(shown.toString()).isEqualTo(wanted);
        return shown;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
