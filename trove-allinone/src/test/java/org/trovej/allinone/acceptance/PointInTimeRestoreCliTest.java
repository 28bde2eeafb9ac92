package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trovej.allinone.acceptance.CliInstances.address;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Point-in-time restore of PostgreSQL and MariaDB as a user meets it (beyond Trove): rows written one by one after
 * a backup taken with Debian's client, the instance's {@code restore_window} shown by {@code openstack database
 * instance show}, and a new instance created with the documented {@code curl} ({@code restorePoint} with a
 * {@code restoreTime} besides {@code backupRef}) at a moment between two rows: read with the real {@code psql} or
 * {@code mariadb}, it holds exactly the rows committed before that moment (MariaDB: to the second, its binlog's
 * precision). A moment before the window or after its end is refused with a 400 naming the window, and nothing is
 * created. Once the backup is deleted, the shipped log goes from the store.
 */
@ExtendWith(SharedAllInOne.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PointInTimeRestoreCliTest {

    private static final String PROJECT = "pitr";
    private static final Duration BUILD = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;
    private CliBackups backups;

    @BeforeAll
    void start(AllInOneUnderTest trovej) {
        OpenStackCli.requireInstalled();
        this.trovej = trovej;
        cli = trovej.cli(PROJECT);
        instances = new CliInstances(cli, BUILD);
        backups = new CliBackups(cli, BUILD);
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            instances.deleteAll();
        }
    }

    /** What differs between the engines: the client, the clock, the moment's precision. */
    private record Engine(String datastore, java.util.function.BinaryOperator<String> sql, String clock,
                          String aggregate, Duration between, boolean wholeSeconds) {

        Instant serverNow(String address) {
            BigDecimal epoch = new BigDecimal(sql.apply(address, clock).strip());
            return Instant.ofEpochSecond(0).plusNanos(epoch.movePointRight(9).longValueExact());
        }
    }

    private static final Engine POSTGRESQL = new Engine("postgresql", DatabaseClients::psql,
            "SELECT extract(epoch FROM clock_timestamp())", "SELECT string_agg(n::text, ',' ORDER BY n) FROM events",
            Duration.ofMillis(400), false);
    /** Binlog events carry whole seconds: rows 1.5 s apart, a moment on a whole second between them. */
    private static final Engine MARIADB = new Engine("mariadb", DatabaseClients::mariadb,
            "SELECT UNIX_TIMESTAMP(NOW(6))", "SELECT GROUP_CONCAT(n ORDER BY n) FROM events",
            Duration.ofMillis(1500), true);

    private static Instant shownTime(JsonNode time) {
        return LocalDateTime.parse(time.asText()).toInstant(ZoneOffset.UTC);
    }

    /** The documented curl: POST /instances with restorePoint.restoreTime; answers the status line's code and body. */
    private List<String> curlCreate(String name, String flavorId, String datastore, String backupId,
                                    Instant moment) {
        String body = "{\"instance\": {\"name\": \"" + name + "\", \"flavorRef\": \"" + flavorId + "\", \"volume\": "
                + "{\"size\": 1}, \"datastore\": {\"type\": \"" + datastore + "\"}, \"restorePoint\": {\"backupRef\": \""
                + backupId + "\", \"restoreTime\": \"" + moment + "\"}}}";
        try {
            Process curl = new ProcessBuilder("curl", "-s", "-w", "\n%{http_code}", "-X", "POST",
                    "-H", "Content-Type: application/json", "-H", "Accept: application/json",
                    "-d", body, trovej.api(PROJECT) + "/instances").redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).as(out).isZero();
            int split = out.lastIndexOf('\n');
            return List.of(out.substring(split + 1).strip(), out.substring(0, split));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int instanceCount() {
        return cli.run("database", "instance", "list", "-f", "json").ok().json().size();
    }

    @Test
    void aPostgresqlInstanceRestoredToAMomentHoldsExactlyTheRowsCommittedBeforeIt() throws Exception {
        restoreToAMoment(POSTGRESQL);
    }

    @Test
    void aMariadbInstanceRestoredToASecondHoldsExactlyTheRowsCommittedBeforeIt() throws Exception {
        restoreToAMoment(MARIADB);
    }

    private void restoreToAMoment(Engine engine) throws Exception {
        String name = "pitr-" + engine.datastore();
        String source = instances.create(name, engine.datastore());
        JsonNode shown = instances.awaitActive(source);
        String sourceAddress = address(shown);
        String flavorId = "d1"; // the embedded default's ds512M
        engine.sql().apply(sourceAddress, "CREATE TABLE events (n integer PRIMARY KEY)");
        engine.sql().apply(sourceAddress, "INSERT INTO events VALUES (1), (2), (3)");
        String backup = backups.create(source, name + "-base");
        backups.awaitCompleted(backup);
        instances.awaitActive(source);

        // rows 4..10, each in its own transaction, with the server's clock read just before and just after
        List<Instant> before = new ArrayList<>();
        List<Instant> after = new ArrayList<>();
        for (int n = 4; n <= 10; n++) {
            before.add(engine.serverNow(sourceAddress));
            engine.sql().apply(sourceAddress, "INSERT INTO events VALUES (" + n + ")");
            after.add(engine.serverNow(sourceAddress));
            CliInstances.sleep(engine.between().toMillis());
        }
        // after row 7 was committed and before row 8 was: half way, or the first whole second
        Instant moment = engine.wholeSeconds() ? after.get(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusSeconds(1) : after.get(3).plus(Duration.between(after.get(3), before.get(4)).dividedBy(2));
        assertThat(moment).isBefore(before.get(4));

        // the window shown on the instance reaches past the last row once its log is shipped
        Instant lastRow = after.get(after.size() - 1);
        JsonNode window = instances.await(source, s -> s.path("restore_window").has("latest")
                && shownTime(s.path("restore_window").path("latest")).isAfter(lastRow)).path("restore_window");
        assertThat(shownTime(window.path("earliest"))).as(window.toString()).isBefore(moment);

        int count = instanceCount();
        List<String> tooEarly = curlCreate(name + "-early", flavorId, engine.datastore(), backup,
                shownTime(window.path("earliest")).minusSeconds(3600));
        assertThat(tooEarly.get(0)).as(tooEarly.get(1)).isEqualTo("400");
        assertThat(tooEarly.get(1)).contains("outside the restorable window of instance " + source);
        List<String> future = curlCreate(name + "-future", flavorId, engine.datastore(), backup,
                Instant.now().plusSeconds(3600));
        assertThat(future.get(0)).as(future.get(1)).isEqualTo("400");
        List<String> garbled = curlCreate(name + "-garbled", flavorId, engine.datastore(), backup, null);
        assertThat(garbled.get(0)).as(garbled.get(1)).isEqualTo("400");
        assertThat(instanceCount()).as("nothing created by a refused request").isEqualTo(count);

        List<String> created = curlCreate(name + "-restored", flavorId, engine.datastore(), backup, moment);
        assertThat(created.get(0)).as(created.get(1)).isEqualTo("200");
        String restored = JSON.readTree(created.get(1)).path("instance").path("id").asText();
        instances.track(restored);
        String restoredAddress = address(instances.awaitActive(restored));
        assertThat(engine.sql().apply(restoredAddress, engine.aggregate())).isEqualTo("1,2,3,4,5,6,7");
        // the source went on by itself
        assertThat(engine.sql().apply(sourceAddress, "SELECT count(*) FROM events")).isEqualTo("10");

        // once its backup is deleted no restore can use the shipped log: shipping stops and the pieces are deleted
        assertThat(trovej.storedObjects(source + ".log.")).as("shipped log in the store").isNotEmpty();
        cli.run("database", "backup", "delete", backup).ok();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!trovej.storedObjects(source + ".log.").isEmpty() && System.nanoTime() < deadline) {
            CliInstances.sleep(1000);
        }
        assertThat(trovej.storedObjects(source + ".log.")).as("shipped log after its backup went").isEmpty();
        assertThat(instances.show(source).has("restore_window")).isFalse();
    }
}
