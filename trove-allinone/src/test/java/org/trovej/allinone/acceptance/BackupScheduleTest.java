package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.trovej.taskmanager.rpc.TaskManagerServer;
import org.trovej.taskmanager.schedule.BackupScheduler;

/**
 * A backup schedule of one backup a minute keeping three, on a PostgreSQL instance of the all-in-one, while a
 * second scheduler (a second task manager on the same database) races the task manager's own for every slot. The
 * task manager is stopped across the third slot and started again. Afterwards: one backup for every slot, the
 * missed one included and none twice; exactly the newest three kept, the oldest deleted with its objects and its
 * quota given back; Debian's client lists the three and shows the schedule on the instance. (Which backups are
 * incremental and what retention keeps for a chain: ScheduledChainTest and RetentionPlanTest.)
 * <p>
 * It waits on the clock for most of its four minutes, so it runs beside the other acceptance classes
 * ({@code @Execution(CONCURRENT)}; they run one after another, see junit-platform.properties) on an all-in-one of
 * its own: stopping that one's task manager touches no other class's operations.
 */
@Execution(ExecutionMode.CONCURRENT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupScheduleTest {

    private static final String PROJECT = "schedules";
    private static final Duration BUILD = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AllInOneUnderTest trovej;
    private OpenStackCli cli;
    private CliInstances instances;
    private JdbcTemplate jdbc;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        OpenStackCli.requireInstalled();
        trovej = AllInOneUnderTest.start("trovej-schedules");
        cli = trovej.cli(PROJECT);
        instances = new CliInstances(cli, BUILD);
        jdbc = trovej.context().getBean(JdbcTemplate.class);
        // Both all-in-ones hand out loopback addresses from ordinal 1 and probe them only before the server
        // starts: this one's start far from the shared one's, so two creates at the same moment never pick the
        // same address.
        jdbc.queryForObject("SELECT setval('local_address_seq', 100000)", Long.class);
    }

    @AfterAll
    void stop() {
        if (trovej != null) {
            try {
                instances.deleteAll();
            } finally {
                trovej.close();
            }
        }
    }

    /** A scheduled backup as the database holds it. */
    private record Made(LocalDateTime slot, String id, String type, String parent, String state, boolean deleted,
                        LocalDateTime created) {
    }

    private List<Made> made(String instance) {
        return jdbc.query("SELECT schedule_slot, id, backup_type, parent_id, state, deleted, created FROM backups "
                + "WHERE instance_id = ? AND schedule_slot IS NOT NULL ORDER BY schedule_slot", (rs, n) -> new Made(
                rs.getTimestamp(1).toLocalDateTime(), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getBoolean(6), rs.getTimestamp(7).toLocalDateTime()), instance);
    }

    private List<Made> awaitMade(String instance, int count, boolean completed) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        List<Made> made = made(instance);
        while ((made.size() < count || (completed && !"COMPLETED".equals(made.get(count - 1).state())))
                && System.nanoTime() < deadline) {
            CliInstances.sleep(1000);
            made = made(instance);
        }
        assertThat(made).as("scheduled backups of " + instance).hasSizeGreaterThanOrEqualTo(count);
        if (completed) {
            assertThat(made.get(count - 1).state()).as(made.toString()).isEqualTo("COMPLETED");
        }
        return made;
    }

    private JsonNode request(String method, String path, String body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(trovej.api(PROJECT) + path))
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30));
            request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                    : request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleepUntil(LocalDateTime utc) {
        long millis = Duration.between(LocalDateTime.now(ZoneOffset.UTC), utc).toMillis();
        if (millis > 0) {
            CliInstances.sleep(millis);
        }
    }

    @Test
    void oneBackupAMinuteKeepsExactlyThreeAcrossATaskManagerRestartWithTwoSchedulersRacing() {
        String id = instances.create("scheduled", "postgresql");
        instances.awaitActive(id);

        JsonNode set = request("PUT", "/instances/" + id + "/backup_schedule", "{\"backup_schedule\": {\"cron\": "
                + "\"* * * * *\", \"keep_count\": 3}}", 200).get("backup_schedule");
        LocalDateTime first = LocalDateTime.parse(set.get("next_run").asText());
        JsonNode shown = cli.run("database", "instance", "show", id, "-f", "json").ok().json();
        assertThat(shown.path("backup_schedule").path("cron").asText()).as(shown.toString()).isEqualTo("* * * * *");

        BackupScheduler own = trovej.context().getBean(BackupScheduler.class);
        TaskManagerServer taskManager = trovej.context().getBean(TaskManagerServer.class);
        ScheduledExecutorService second = Executors.newSingleThreadScheduledExecutor();
        try {
            // a second task manager's scheduler on the same database, polling more often than the first
            var racing = second.scheduleWithFixedDelay(own::tick, 1, 1, TimeUnit.SECONDS);

            List<Made> made = awaitMade(id, 2, true);
            // both task managers down across the third slot
            racing.cancel(false);
            taskManager.stop();
            LocalDateTime third = first.plusMinutes(2);
            sleepUntil(third.plusSeconds(15));
            assertThat(made(id)).as("nothing runs while no task manager does").hasSize(2);
            taskManager.start();
            racing = second.scheduleWithFixedDelay(own::tick, 1, 1, TimeUnit.SECONDS);

            made = awaitMade(id, 3, true);
            assertThat(made.get(2).slot()).isEqualTo(third);
            assertThat(made.get(2).created()).as("the missed slot runs once a task manager is back")
                    .isAfter(third.plusSeconds(14));
            made = awaitMade(id, 4, true);
            racing.cancel(false);
        } finally {
            second.shutdownNow();
            if (!taskManager.isRunning()) {
                taskManager.start();
            }
        }

        // retention: the oldest goes once the fourth has completed
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Made> made = made(id);
        while (made.stream().noneMatch(Made::deleted) && System.nanoTime() < deadline) {
            CliInstances.sleep(1000);
            made = made(id);
        }
        assertThat(made).as("one backup per slot, none twice, none lost").hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(made.get(i).slot()).isEqualTo(first.plusMinutes(i));
        }
        assertThat(made).extracting(Made::type).containsOnly("full");
        assertThat(made).extracting(Made::deleted).containsExactly(true, false, false, false);
        assertThat(made.subList(1, 4)).extracting(Made::state).containsOnly("COMPLETED");
        assertThat(trovej.storedObjects(made.get(0).id())).isEmpty();
        assertThat(trovej.storedObjects(made.get(2).id())).isNotEmpty();

        JsonNode listed = cli.run("database", "backup", "list", "--instance-id", id, "-f", "json").ok().json();
        assertThat(listed.findValuesAsText("ID")).containsExactlyInAnyOrder(made.get(1).id(), made.get(2).id(),
                made.get(3).id());
        JsonNode kept = cli.run("database", "backup", "show", made.get(3).id(), "-f", "json").ok().json();
        assertThat(kept.path("name").asText()).isEqualTo("scheduled " + first.plusMinutes(3).toString()
                .replace('T', ' ') + " UTC");
        assertThat(kept.path("size").asDouble()).isPositive();
        assertThat(jdbc.queryForObject("SELECT in_use FROM quota_usages WHERE tenant_id = ? AND resource = 'backups'",
                Integer.class, PROJECT)).as("four made, one given back").isEqualTo(3);

        JsonNode schedule = request("GET", "/instances/" + id + "/backup_schedule", null, 200).get("backup_schedule");
        assertThat(LocalDateTime.parse(schedule.get("last_run").asText())).isEqualTo(first.plusMinutes(3));
        assertThat(schedule.get("last_backup_id").asText()).isEqualTo(made.get(3).id());
        assertThat(schedule.get("last_backup_status").asText()).isEqualTo("COMPLETED");
        assertThat(schedule.get("last_error").isNull()).isTrue();
        request("DELETE", "/instances/" + id + "/backup_schedule", null, 202);
        request("GET", "/instances/" + id + "/backup_schedule", null, 404);
        assertThat(cli.run("database", "instance", "show", id, "-f", "json").ok().json().has("backup_schedule"))
                .isFalse();
    }

}
