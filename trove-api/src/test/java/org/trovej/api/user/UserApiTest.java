package org.trovej.api.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.trovej.api.support.Api;
import org.trovej.api.support.FakeGuest;
import org.trovej.api.support.GuestApiTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * {@code /instances/{id}/users} and a user's {@code databases} against a stand-in guest on the real broker:
 * Trove's arguments, the {@code user@host} segment as troveclient quotes it, paging by {@code user@host},
 * Trove's checks and messages, and passwords that never come back or reach a log.
 */
class UserApiTest extends GuestApiTest {

    @Test
    void createListShowAndDelete() {
        guest.seedDatabase("appdb");
        Api.Response created = api.post(path("/users"), """
                {"users": [{"name": "app", "password": "App-Pass-1", "databases": [{"name": "appdb"}]},
                           {"name": "rep", "password": "Rep-Pass-1", "host": "10.0.0.%"}]}""");

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(guest.calls("create_user")).singleElement().satisfies(c -> assertThat(c.args().toString())
                .isEqualTo("{\"users\":[{\"_name\":\"app\",\"_password\":\"App-Pass-1\",\"_host\":\"%\","
                        + "\"_databases\":[{\"_name\":\"appdb\",\"_collate\":null,\"_character_set\":null}],"
                        + "\"_is_root\":false},{\"_name\":\"rep\",\"_password\":\"Rep-Pass-1\","
                        + "\"_host\":\"10.0.0.%\",\"_databases\":[],\"_is_root\":false}]}"));
        assertThat(guest.calls("list_users")).extracting(c -> c.args().toString()).containsExactly(
                "{\"limit\":1,\"marker\":\"app@%\",\"include_marker\":true}",
                "{\"limit\":1,\"marker\":\"rep@10.0.0.%\",\"include_marker\":true}");

        Api.Response listed = api.get(path("/users"));
        assertThat(listed.body()).isEqualTo("{\"users\":[{\"name\":\"app\",\"host\":\"%\",\"databases\":"
                + "[{\"name\":\"appdb\"}]},{\"name\":\"rep\",\"host\":\"10.0.0.%\",\"databases\":[]}]}");

        // troveclient's quote_user_host: quote("name@host") with '.' as %2e
        Api.Response shown = api.get(path("/users/rep%4010%2e0%2e0%2e%25"));
        assertThat(shown.status()).as(shown.body()).isEqualTo(200);
        assertThat(shown.body()).isEqualTo("{\"user\":{\"name\":\"rep\",\"host\":\"10.0.0.%\",\"databases\":[]}}");
        assertThat(guest.calls("get_user").get(0).args().toString())
                .isEqualTo("{\"username\":\"rep\",\"hostname\":\"10.0.0.%\"}");
        assertThat(api.get(path("/users/app")).json().at("/user/databases/0/name").asText())
                .as("no host is host %").isEqualTo("appdb");

        Api.Response deleted = api.delete(path("/users/app%40%25"));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(202);
        assertThat(guest.calls("delete_user")).singleElement().satisfies(c -> assertThat(c.args().toString())
                .isEqualTo("{\"user\":{\"_name\":\"app\",\"_password\":null,\"_host\":\"%\",\"_databases\":[],"
                        + "\"_is_root\":false}}"));
        assertThat(guest.users()).containsOnlyKeys("rep@10.0.0.%");
        for (Api.Response r : List.of(created, listed, shown, deleted)) {
            assertThat(r.body()).doesNotContain("Pass-1");
        }
    }

    @Test
    void listsArePagedByUserAtHostAndTheClientsMarkerRoundTrips() {
        for (String name : new String[] {"a1", "a2", "a3"}) {
            guest.seedUser(name, "%");
        }
        guest.seedUser("postgres", "%");

        JsonNode first = api.get(path("/users?limit=2")).json();
        assertThat(first.get("users").findValuesAsText("name")).containsExactly("a1", "a2");
        String next = first.at("/links/0/href").asText();
        assertThat(next).isEqualTo("https://127.0.0.1:" + port + path("/users?limit=2&marker=a2%2540%2525"));

        // troveclient: parse_qsl decodes the href's query once, then the value is sent as it is
        String marker = java.net.URLDecoder.decode(URI.create(next).getRawQuery().replaceAll(".*marker=", ""),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(marker).isEqualTo("a2%40%25");
        JsonNode last = api.get(path("/users?limit=2&marker=" + marker)).json();
        assertThat(guest.calls("list_users").get(1).args().path("marker").asText()).isEqualTo("a2@%");
        assertThat(last.get("users").findValuesAsText("name")).as("postgres is hidden").containsExactly("a3");
        assertThat(last.has("links")).isFalse();
    }

    @Test
    void createIsCheckedAsTroveChecksIt() {
        guest.seedUser("taken", "%");

        assertCreateRefused("{\"users\": [{\"name\": \"taken\", \"password\": \"P-1\"}]}",
                "A user with the name \"taken\" already exists.");
        assertCreateRefused("{\"users\": [{\"name\": \"postgres\", \"password\": \"P-1\"}]}",
                "User create error: User name \"postgres\" is on the reserved list: ['os_admin', 'postgres'].");
        String tooLong = "u".repeat(64);
        assertCreateRefused("{\"users\": [{\"name\": \"" + tooLong + "\", \"password\": \"P-1\"}]}",
                "User create error: User name '" + tooLong + "' is too long. Max length = 63.");
        assertCreateRefused("{\"users\": [{\"name\": \"a1\", \"password\": \"P-1\"}, {\"name\": \"a1\", "
                        + "\"password\": \"P-2\"}]}",
                "Two or more users share the same name and host in the initial users list. Please correct the "
                        + "names or remove the duplicate entries.");
        assertCreateRefused("{\"users\": [{\"name\": \"a2\"}]}",
                "Validation error: users[0] 'password' is a required property");
        assertCreateRefused("{\"users\": [{\"name\": \"a3\", \"password\": \"P-1\", \"host\": \"a b\"}]}",
                "Validation error: users[0]['host'] 'a b' does not match '^[%]?[\\\\w(-).]*[%]?$'");
        assertThat(guest.changes()).isEmpty();
    }

    @Test
    void mysqlUsersFollowTroveMysqlModel() {
        String mysql = new InstanceRow(project).version(TestData.MYSQL80).insert(jdbc);
        FakeGuest mysqlGuest = guestFor(mysql);

        assertCreateRefused(mysql, "{\"users\": [{\"name\": \"seventeen-chars-x\", \"password\": \"P-1\"}]}",
                "User create error: User name 'seventeen-chars-x' is too long. Max length = 16.");
        assertCreateRefused(mysql, "{\"users\": [{\"name\": \"o;neil\", \"password\": \"P-1\"}]}",
                "User create error: 'o;neil' is not a valid user name.");
        assertCreateRefused(mysql, "{\"users\": [{\"name\": \"app\", \"password\": \"P-1\", \"host\": "
                + "\"localhost\"}]}", "User create error: 'localhost' is not a valid hostname.");
        assertCreateRefused(mysql, "{\"users\": [{\"name\": \"app\", \"password\": \"Bad'Secret-1\"}]}",
                "User create error: The password is not a valid password.");
        assertCreateRefused(mysql, "{\"users\": [{\"name\": \"root\", \"password\": \"P-1\"}]}",
                "User create error: User name \"root\" is on the reserved list: ['os_admin', 'root'].");
        assertThat(mysqlGuest.calls()).isEmpty();

        Api.Response created = api.post(path(mysql, "/users"), "{\"users\": [{\"name\": \"app\", \"password\": "
                + "\"P-1\", \"host\": \"192.168.1.%\"}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(mysqlGuest.users()).containsOnlyKeys("app@192.168.1.%");
    }

    @Test
    void updateRenamesChangesPasswordsAndRefusesTakenNames() {
        guest.seedUser("app", "%");
        guest.seedUser("other", "%");

        Api.Response renamed = api.put(path("/users/app%40%25"), "{\"user\": {\"name\": \"app2\"}}");
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(202);
        assertThat(guest.calls("update_attributes")).singleElement().satisfies(c -> assertThat(c.args().toString())
                .isEqualTo("{\"username\":\"app\",\"hostname\":\"%\",\"user_attrs\":{\"name\":\"app2\"}}"));
        assertThat(guest.users()).containsOnlyKeys("app2@%", "other@%");

        Api.Response taken = api.put(path("/users/app2"), "{\"user\": {\"name\": \"other\"}}");
        assertThat(taken.status()).isEqualTo(400);
        assertThat(message(taken)).isEqualTo("A user with the name \"other\" already exists.");
        Api.Response empty = api.put(path("/users/app2"), "{\"user\": {}}");
        assertThat(message(empty)).isEqualTo("Validation error: user {} should be non-empty");
        Api.Response ghost = api.put(path("/users/ghost"), "{\"user\": {\"password\": \"New-Pass-2\"}}");
        assertThat(ghost.status()).isEqualTo(404);
        assertThat(message(ghost)).isEqualTo("User ghost cannot be found on the instance.");
        Api.Response reserved = api.put(path("/users/app2"), "{\"user\": {\"name\": \"postgres\"}}");
        assertThat(message(reserved)).isEqualTo("User update error: User name \"postgres\" is on the reserved list: "
                + "['os_admin', 'postgres'].");

        Api.Response password = api.put(path("/users/app2"), "{\"user\": {\"password\": \"New-Pass-2\"}}");
        assertThat(password.status()).isEqualTo(202);
        assertThat(guest.users().get("app2@%").get("_password").asText()).isEqualTo("New-Pass-2");

        Api.Response changed = api.put(path("/users"), "{\"users\": [{\"name\": \"app2\", \"password\": "
                + "\"Newer-Pass-3\"}, {\"name\": \"other\", \"host\": \"%\", \"password\": \"Other-Pass-3\"}]}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(202);
        assertThat(guest.calls("change_passwords")).singleElement().satisfies(c -> assertThat(c.args().toString())
                .isEqualTo("{\"users\":[{\"name\":\"app2\",\"host\":\"%\",\"password\":\"Newer-Pass-3\"},"
                        + "{\"name\":\"other\",\"host\":\"%\",\"password\":\"Other-Pass-3\"}]}"));
        Api.Response unknown = api.put(path("/users"), "{\"users\": [{\"name\": \"ghost\", \"password\": \"P-1\"}]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(message(unknown)).isEqualTo("User ghost@% cannot be found on the instance.");
        assertThat(guest.calls("change_passwords")).hasSize(1);
    }

    @Test
    void accessIsGrantedListedAndRevoked() {
        guest.seedUser("app", "%");
        guest.seedDatabase("appdb");
        guest.seedDatabase("other");

        Api.Response granted = api.put(path("/users/app/databases"),
                "{\"databases\": [{\"name\": \"appdb\"}, {\"name\": \"other\"}]}");
        assertThat(granted.status()).as(granted.body()).isEqualTo(202);
        assertThat(guest.calls("grant_access").get(0).args().toString())
                .isEqualTo("{\"username\":\"app\",\"hostname\":\"%\",\"databases\":[\"appdb\",\"other\"]}");
        assertThat(api.get(path("/users/app%40%25/databases")).body())
                .isEqualTo("{\"databases\":[{\"name\":\"appdb\"},{\"name\":\"other\"}]}");

        assertThat(api.delete(path("/users/app/databases/other")).status()).isEqualTo(202);
        assertThat(guest.calls("revoke_access").get(0).args().toString())
                .isEqualTo("{\"username\":\"app\",\"hostname\":\"%\",\"database\":\"other\"}");
        Api.Response again = api.delete(path("/users/app/databases/other"));
        assertThat(again.status()).isEqualTo(404);
        assertThat(message(again)).isEqualTo("Database other cannot be found on the instance.");

        Api.Response reserved = api.put(path("/users/app/databases"), "{\"databases\": [{\"name\": \"postgres\"}]}");
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(message(reserved)).isEqualTo("Grant access to postgres is not allowed");
        Api.Response missing = api.put(path("/users/app/databases"), "{\"databases\": [{\"name\": \"nodb\"}]}");
        assertThat(missing.status()).as("the guest's DatabaseNotFound").isEqualTo(404);
        Api.Response ghost = api.get(path("/users/ghost/databases"));
        assertThat(message(ghost)).isEqualTo("User ghost cannot be found on the instance.");
        assertThat(guest.calls("grant_access")).hasSize(2);
        assertThat(guest.calls("revoke_access")).hasSize(1);
    }

    @Test
    void anotherProjectsInstanceIsNotFound() {
        guest.seedUser("app", "%");
        String elsewhere = "/v1.0/" + TestData.project() + "/instances/" + instanceId;

        for (Api.Response r : List.of(api.get(elsewhere + "/users"), api.get(elsewhere + "/users/app"),
                api.delete(elsewhere + "/users/app"), api.get(elsewhere + "/users/app/databases"),
                api.put(elsewhere + "/users", "{\"users\": [{\"name\": \"app\", \"password\": \"P-1\"}]}"))) {
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(message(r)).isEqualTo("Resource " + instanceId + " cannot be found.");
        }
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void passwordsReachNeitherLogsNorErrorMessages() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            guest.seedUser("app", "%");
            api.post(path("/users"), "{\"users\": [{\"name\": \"new\", \"password\": \"Secret-Create-7\"}]}");
            api.put(path("/users/app"), "{\"user\": {\"password\": \"Secret-Update-7\"}}");
            guest.failNext("change_passwords", "GuestError", "could not set password Secret-Change-7 for app");
            Api.Response failed = api.put(path("/users"),
                    "{\"users\": [{\"name\": \"app\", \"password\": \"Secret-Change-7\"}]}");

            assertThat(failed.status()).isEqualTo(500);
            assertThat(message(failed)).isEqualTo("An error occurred communicating with the guest: could not set "
                    + "password *** for app.");
            assertThat(guest.users().get("new@%").get("_password").asText()).isEqualTo("Secret-Create-7");
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).isNotEmpty();
        // the stand-in guest's own RpcServer logs the failure it raised; everything else is the API's
        assertThat(logs.list).filteredOn(e -> !e.getLoggerName().equals("org.trovej.common.rpc.RpcServer"))
                .extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("Secret-"));
    }

    private void assertCreateRefused(String body, String message) {
        assertCreateRefused(instanceId, body, message);
    }

    private void assertCreateRefused(String id, String body, String message) {
        Api.Response response = api.post(path(id, "/users"), body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.fault()).isEqualTo("badRequest");
        assertThat(message(response)).isEqualTo(message);
    }
}
