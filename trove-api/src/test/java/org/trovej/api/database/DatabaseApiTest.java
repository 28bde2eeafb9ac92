package org.trovej.api.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.FakeGuest;
import org.trovej.api.support.GuestApiTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * {@code /instances/{id}/databases} against a stand-in guest on the real broker: what goes to the guest, what
 * comes back, Trove's checks and messages, and that a refused request sends the guest nothing.
 */
class DatabaseApiTest extends GuestApiTest {

    @Test
    void createListAndDeleteGoThroughTheGuest() {
        Api.Response created = api.post(path("/databases"),
                "{\"databases\": [{\"name\": \"app\"}, {\"name\": \"b_db\", \"character_set\": \"UTF8\"}]}");

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(created.body()).isEmpty();
        assertThat(guest.calls("create_database")).singleElement().satisfies(c -> assertThat(c.args().toString())
                .isEqualTo("{\"databases\":[{\"_name\":\"app\",\"_collate\":null,\"_character_set\":null},"
                        + "{\"_name\":\"b_db\",\"_collate\":null,\"_character_set\":\"UTF8\"}]}"));
        // Trove's duplicate check first: a one-item page from each name
        assertThat(guest.calls("list_databases")).extracting(c -> c.args().toString()).containsExactly(
                "{\"limit\":1,\"marker\":\"app\",\"include_marker\":true}",
                "{\"limit\":1,\"marker\":\"b_db\",\"include_marker\":true}");

        Api.Response listed = api.get(path("/databases"));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).isEqualTo("{\"databases\":[{\"name\":\"app\"},{\"name\":\"b_db\"}]}");

        Api.Response deleted = api.delete(path("/databases/app"));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(202);
        assertThat(guest.calls("delete_database")).singleElement().satisfies(c -> assertThat(c.args().toString())
                .isEqualTo("{\"database\":{\"_name\":\"app\",\"_collate\":null,\"_character_set\":null}}"));
        assertThat(guest.databases()).containsOnlyKeys("b_db");
    }

    @Test
    void listsArePagedByNameWithANextLinkOnlyWhileMoreFollow() {
        for (String name : new String[] {"d1", "d2", "d3", "d4", "d5"}) {
            guest.seedDatabase(name);
        }
        guest.seedDatabase("postgres");
        guest.seedDatabase("template1");

        JsonNode first = api.get(path("/databases?limit=2")).json();
        assertThat(first.findValuesAsText("name")).containsExactly("d1", "d2");
        assertThat(first.get("links").toString()).isEqualTo("[{\"href\":\"https://127.0.0.1:" + port
                + path("/databases?limit=2&marker=d2") + "\",\"rel\":\"next\"}]");
        JsonNode second = api.get(path("/databases?limit=2&marker=d2")).json();
        assertThat(second.findValuesAsText("name")).containsExactly("d3", "d4");
        // the hidden ones sort after d5 and fill the rest of this page: Trove hides them after paging
        JsonNode last = api.get(path("/databases?limit=3&marker=d4")).json();
        assertThat(last.get("databases").findValuesAsText("name")).as("reserved and template databases are hidden")
                .containsExactly("d5");
        assertThat(last.has("links")).isFalse();
        assertThat(guest.calls("list_databases").get(2).args().toString())
                .isEqualTo("{\"limit\":3,\"marker\":\"d4\",\"include_marker\":false}");

        api.get(path("/databases?limit=500"));
        assertThat(guest.calls("list_databases").get(3).args().path("limit").asInt()).as("capped at the page size")
                .isEqualTo(20);
    }

    @Test
    void aDatabaseThatExistsIsRefusedWithTroveMessage() {
        guest.seedDatabase("app");

        Api.Response response = api.post(path("/databases"), "{\"databases\": [{\"name\": \"app\"}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.fault()).isEqualTo("badRequest");
        assertThat(message(response)).isEqualTo("A database with the name \"app\" already exists.");
        assertThat(guest.changes()).isEmpty();
    }

    @Test
    void namesPostgresqlRefusesNeverReachTheGuest() {
        assertRefused("{\"databases\": [{\"name\": \"bad \"}]}", "'bad ' is not a valid schema name.");
        assertRefused("{\"databases\": [{\"name\": \"x\"}]}", "'x' is not a valid schema name.");
        String tooLong = "n".repeat(64);
        assertRefused("{\"databases\": [{\"name\": \"" + tooLong + "\"}]}",
                "Schema name '" + tooLong + "' is too long. Max length = 63.");
        assertRefused("{\"databases\": [{\"name\": \"postgres\"}]}",
                "Database name \"postgres\" is on the reserved list: ['os_admin', 'postgres'].");
        assertRefused("{\"databases\": [{\"name\": \"a1\"}, {\"name\": \"a1\"}]}",
                "Two or more databases share the same name in the initial databases list. Please correct the "
                        + "names or remove the duplicate entries.");
        assertRefused("{\"databases\": [{\"character_set\": \"UTF8\"}]}",
                "Validation error: databases[0] 'name' is a required property");
        assertRefused("{\"databases\": [{\"name\": \"\"}]}",
                "Validation error: databases[0]['name'] '' should be non-empty; databases[0]['name'] '' does not "
                        + "match '^.*[0-9a-zA-Z]+.*$'");
        assertRefused("{}", "Validation error: 'databases' is a required property");
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void mysqlNamesCharacterSetsAndCollationsFollowTroveMysqlModel() {
        String mysql = new InstanceRow(project).version(TestData.MYSQL80).insert(jdbc);
        FakeGuest mysqlGuest = guestFor(mysql);

        assertRefused(mysql, "{\"databases\": [{\"name\": \"my db!\"}]}", "'my db!' is not a valid schema name.");
        assertRefused(mysql, "{\"databases\": [{\"name\": \"sys\"}]}", "Database name \"sys\" is on the reserved "
                + "list: ['mysql', 'information_schema', 'performance_schema', 'sys'].");
        assertRefused(mysql, "{\"databases\": [{\"name\": \"app\", \"character_set\": \"klingon\"}]}",
                "'klingon' not a valid character set.");
        assertRefused(mysql, "{\"databases\": [{\"name\": \"app\", \"character_set\": \"latin1\", "
                + "\"collate\": \"utf8mb4_bin\"}]}", "utf8mb4_bin not a valid collation for charset latin1.");
        assertRefused(mysql, "{\"databases\": [{\"name\": \"app\", \"collate\": \"nope_ci\"}]}",
                "'nope_ci' not a valid collation.");
        assertThat(mysqlGuest.calls()).isEmpty();

        Api.Response created = api.post(path(mysql, "/databases"), "{\"databases\": [{\"name\": \"my-db 2\", "
                + "\"collate\": \"latin1_swedish_ci\"}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(mysqlGuest.calls("create_database").get(0).args().toString()).as("a collation implies its charset")
                .isEqualTo("{\"databases\":[{\"_name\":\"my-db 2\",\"_collate\":\"latin1_swedish_ci\","
                        + "\"_character_set\":\"latin1\"}]}");
    }

    @Test
    void deleteNeedsAnExistingUnreservedDatabaseAndShowIsNotImplemented() {
        Api.Response unknown = api.delete(path("/databases/nope"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.fault()).isEqualTo("itemNotFound");
        assertThat(message(unknown)).isEqualTo("Database nope cannot be found on the instance.");

        Api.Response reserved = api.delete(path("/databases/postgres"));
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(message(reserved)).isEqualTo("Database delete error: Cannot delete database: Database name "
                + "\"postgres\" is on the reserved list: ['os_admin', 'postgres'].");

        Api.Response show = api.get(path("/databases/anything"));
        assertThat(show.status()).isEqualTo(501);
        assertThat(show.fault()).isEqualTo("notImplemented");
        assertThat(guest.changes()).isEmpty();
    }

    @Test
    void anotherProjectsInstanceIsNotFoundButAnAdminMayUseIt() {
        String elsewhere = "/v1.0/" + TestData.project() + "/instances/" + instanceId + "/databases";

        Api.Response stranger = api.get(elsewhere);
        Api.Response creating = api.post(elsewhere, "{\"databases\": [{\"name\": \"app\"}]}");
        Api.Response admin = api.get(elsewhere, AS_ADMIN);

        assertThat(stranger.status()).isEqualTo(404);
        assertThat(message(stranger)).isEqualTo("Resource " + instanceId + " cannot be found.");
        assertThat(creating.status()).isEqualTo(404);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(api.get("/v1.0/" + project + "/instances/" + java.util.UUID.randomUUID() + "/databases").status())
                .isEqualTo(404);
        assertThat(guest.changes()).isEmpty();
    }

    @Test
    void anInstanceThatIsNotReadyOrNotManagedIsUnprocessable() {
        String building = new InstanceRow(project).task(0x05).server("BUILD").service(0x17, "new").insert(jdbc);
        String silent = new InstanceRow(project).heartbeat(TestData.nowUtc().minusMinutes(5)).insert(jdbc);
        String resizing = new InstanceRow(project).task(0x04).insert(jdbc);
        String redis = new InstanceRow(project).version(REDIS7).insert(jdbc);

        assertUnprocessable(building, "Instance " + building + " is not ready, status: new.");
        assertUnprocessable(silent, "Instance " + silent + " is not ready, status: guestagent error.");
        assertUnprocessable(resizing, "Instance " + resizing + " is not ready, status: RESIZE.");
        assertUnprocessable(redis, "Operation not supported for datastore redis.");
    }

    @Test
    void guestFailuresAreMappedByTheirTroveExceptionClass() {
        guest.failNext("GuestError", "could not connect to the database.");
        Api.Response guestError = api.get(path("/databases"));
        assertThat(guestError.status()).isEqualTo(500);
        assertThat(guestError.fault()).isEqualTo("instanceFault");
        assertThat(message(guestError)).isEqualTo("An error occurred communicating with the guest: could not "
                + "connect to the database.");

        guest.failNext("ProgrammingError", "syntax error at or near \"x\"");
        Api.Response other = api.post(path("/databases"), "{\"databases\": [{\"name\": \"app\"}]}");
        assertThat(other.status()).isEqualTo(500);
        assertThat(message(other)).isEqualTo("An error occurred communicating with the guest: ProgrammingError: "
                + "syntax error at or near \"x\".");

        guest.failNext("BadRequest", "The database name is not allowed.");
        assertThat(api.get(path("/databases")).status()).isEqualTo(400);
        guest.failNext("DatabaseNotFound", "Database app cannot be found on the instance.");
        Api.Response notFound = api.get(path("/databases"));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(message(notFound)).isEqualTo("Database app cannot be found on the instance.");
    }

    @Test
    void aGuestThatDoesNotAnswerIsTroveGuestTimeout() {
        String noGuest = new InstanceRow(project).insert(jdbc);
        long start = System.nanoTime();

        Api.Response response = api.get(path(noGuest, "/databases"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(message(response)).isEqualTo("Timeout trying to connect to the Guest Agent.");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the low timeout, 2 s here")
                .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(8));
    }

    private void assertRefused(String body, String message) {
        assertRefused(instanceId, body, message);
    }

    private void assertRefused(String id, String body, String message) {
        Api.Response response = api.post(path(id, "/databases"), body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.fault()).isEqualTo("badRequest");
        assertThat(message(response)).isEqualTo(message);
    }

    private void assertUnprocessable(String id, String message) {
        for (Api.Response response : new Api.Response[] {api.get(path(id, "/databases")),
                api.post(path(id, "/databases"), "{\"databases\": [{\"name\": \"app\"}]}"),
                api.delete(path(id, "/databases/app"))}) {
            assertThat(response.status()).as(response.body()).isEqualTo(422);
            assertThat(response.fault()).isEqualTo("unprocessableEntity");
            assertThat(message(response)).isEqualTo(message);
        }
    }
}
