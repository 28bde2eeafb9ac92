package org.trovej.api.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * The backup schedule extension: set (200, the next slot computed in the schedule's zone), shown on its own and in
 * the instance's detail, replaced, removed (202); bad bodies 400 with nothing written; another project's instance
 * 404; no cast (the task managers find schedules in the database).
 */
class BackupScheduleApiTest extends ApiIntegrationTest {

    private final String project = TestData.project();

    private String path(String instanceId) {
        return "/v1.0/" + project + "/instances/" + instanceId + "/backup_schedule";
    }

    @Test
    void setShowReplaceAndRemove() {
        String id = new InstanceRow(project).insert(jdbc);
        assertThat(api.get(path(id)).status()).isEqualTo(404);
        assertThat(api.get("/v1.0/" + project + "/instances/" + id).json().at("/instance/backup_schedule")
                .isMissingNode()).as("no schedule, no key").isTrue();

        Api.Response set = api.put(path(id), "{\"backup_schedule\": {\"cron\": \"30  3 * * *\", "
                + "\"timezone\": \"Europe/Berlin\", \"keep_count\": 7, \"full_every\": 3}}");
        assertThat(set.status()).isEqualTo(200);
        JsonNode s = set.json().get("backup_schedule");
        assertThat(s.get("instance_id").asText()).isEqualTo(id);
        assertThat(s.get("cron").asText()).isEqualTo("30 3 * * *");
        assertThat(s.get("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(s.get("keep_count").asInt()).isEqualTo(7);
        assertThat(s.get("keep_days").isNull()).isTrue();
        assertThat(s.get("full_every").asInt()).isEqualTo(3);
        assertThat(s.get("last_run").isNull()).isTrue();
        // 03:30 in Berlin is 02:30 UTC in winter, 01:30 UTC in summer
        LocalDateTime next = LocalDateTime.parse(s.get("next_run").asText());
        assertThat(next.getMinute()).isEqualTo(30);
        assertThat(next.getHour()).isIn(1, 2);
        assertThat(next).isAfter(LocalDateTime.now(ZoneOffset.UTC)).isBefore(LocalDateTime.now(ZoneOffset.UTC)
                .plusDays(1));

        assertThat(api.get(path(id)).json()).isEqualTo(set.json());
        assertThat(api.get("/v1.0/" + project + "/instances/" + id).json().at("/instance/backup_schedule"))
                .isEqualTo(s);

        Api.Response replaced = api.put(path(id), "{\"backup_schedule\": {\"cron\": \"@hourly\", \"keep_days\": 2}}");
        assertThat(replaced.json().at("/backup_schedule/timezone").asText()).isEqualTo("UTC");
        assertThat(replaced.json().at("/backup_schedule/keep_count").isNull()).isTrue();
        assertThat(replaced.json().at("/backup_schedule/full_every").asInt()).isEqualTo(1);
        assertThat(LocalDateTime.parse(replaced.json().at("/backup_schedule/next_run").asText()).getMinute())
                .isZero();
        assertThat(count("SELECT count(*) FROM backup_schedules WHERE instance_id = ?", id)).isEqualTo(1);

        Api.Response removed = api.delete(path(id));
        assertThat(removed.status()).isEqualTo(202);
        assertThat(removed.body()).isEmpty();
        assertThat(api.delete(path(id)).fault()).isEqualTo("itemNotFound");
        assertThat(count("SELECT count(*) FROM backup_schedules WHERE instance_id = ?", id)).isZero();
        assertThat(casts.settled(c -> id.equals(c.instanceId()))).as("the task managers read schedules from the "
                + "database").isEmpty();
    }

    @Test
    void badBodiesAre400AndWriteNothing() {
        String id = new InstanceRow(project).insert(jdbc);
        String[][] cases = {
                {"{}", "Validation error: 'backup_schedule' is a required property"},
                {"{\"backup_schedule\": {\"keep_count\": 3}}", "'cron' is a required property"},
                {"{\"backup_schedule\": {\"cron\": \"* * * *\", \"keep_count\": 3}}", "must have five fields"},
                {"{\"backup_schedule\": {\"cron\": \"0 0 * * * *\", \"keep_count\": 3}}", "must have five fields"},
                {"{\"backup_schedule\": {\"cron\": \"61 * * * *\", \"keep_count\": 3}}", "is not valid"},
                {"{\"backup_schedule\": {\"cron\": \"0 0 30 2 *\", \"keep_count\": 3}}", "never fires"},
                {"{\"backup_schedule\": {\"cron\": \"@sometimes\", \"keep_count\": 3}}", "is not one of"},
                {"{\"backup_schedule\": {\"cron\": \"0 3 * * *\", \"timezone\": \"Mars/Olympus\", \"keep_count\": 3}}",
                        "is not a time zone"},
                {"{\"backup_schedule\": {\"cron\": \"0 3 * * *\"}}", "needs a retention"},
                {"{\"backup_schedule\": {\"cron\": \"0 3 * * *\", \"keep_count\": 0}}", "less than the minimum of 1"},
                {"{\"backup_schedule\": {\"cron\": \"0 3 * * *\", \"keep_count\": \"3\"}}", "is not of type 'integer'"},
                {"{\"backup_schedule\": {\"cron\": \"0 3 * * *\", \"keep_days\": 3, \"full_every\": 0}}",
                        "less than the minimum of 1"},
                {"{\"backup_schedule\": {\"cron\": \"0 3 * * *\", \"keep_days\": 3, \"when\": 1}}",
                        "Additional properties are not allowed ('when' was unexpected)"},
                {"{\"backup_schedule\": [\"0 3 * * *\"]}", "is not of type 'object'"},
        };
        for (String[] c : cases) {
            Api.Response refused = api.put(path(id), c[0]);
            assertThat(refused.status()).as(c[0]).isEqualTo(400);
            assertThat(refused.fault()).as(c[0]).isEqualTo("badRequest");
            assertThat(refused.json().at("/badRequest/message").asText()).as(c[0]).contains(c[1]);
        }
        assertThat(count("SELECT count(*) FROM backup_schedules WHERE instance_id = ?", id)).isZero();
    }

    @Test
    void anotherProjectsInstanceIsNotFoundAndAdminsMaySetIt() {
        String other = TestData.project();
        String theirs = new InstanceRow(other).insert(jdbc);
        String body = "{\"backup_schedule\": {\"cron\": \"0 3 * * *\", \"keep_count\": 3}}";
        assertThat(api.put(path(theirs), body).status()).isEqualTo(404);
        assertThat(api.get(path(theirs)).status()).isEqualTo(404);
        assertThat(api.delete(path(theirs)).status()).isEqualTo(404);
        assertThat(count("SELECT count(*) FROM backup_schedules WHERE instance_id = ?", theirs)).isZero();

        assertThat(api.put(path(theirs), body, AS_ADMIN).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT tenant_id FROM backup_schedules WHERE instance_id = ?", String.class,
                theirs)).as("the instance's project, not the admin's").isEqualTo(other);
        assertThat(api.put(path("00000000-0000-0000-0000-000000000000"), body).status()).isEqualTo(404);
    }
}
