package org.trovej.api.root;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.GuestApiTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * {@code /instances/{id}/root}: enable and disable through the guest, recorded in root_enabled_history, which
 * alone answers whether root is enabled.
 */
class RootApiTest extends GuestApiTest {

    private Map<String, Object> history(String id) {
        return jdbc.queryForMap("SELECT user_id, created, deleted_at FROM root_enabled_history WHERE instance_id = ?",
                id);
    }

    @Test
    void enableShowDisableAndEnableAgainWithAPassword() {
        assertThat(api.get(path("/root")).body()).isEqualTo("{\"rootEnabled\":false}");

        Api.Response enabled = api.send("POST", path("/root"), null, null, "X-User-Id", "alice");
        assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
        assertThat(enabled.body()).isEqualTo("{\"user\":{\"name\":\"root\",\"password\":\"Generated-Root-Pass-1\"}}");
        assertThat(guest.calls("enable_root")).singleElement().satisfies(c -> assertThat(c.args()).isEmpty());
        assertThat(history(instanceId)).containsEntry("user_id", "alice").containsEntry("deleted_at", null);
        assertThat(api.get(path("/root")).body()).isEqualTo("{\"rootEnabled\":true}");

        Api.Response disabled = api.delete(path("/root"));
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(204);
        assertThat(disabled.body()).isEmpty();
        assertThat(guest.calls("disable_root")).hasSize(1);
        assertThat(history(instanceId).get("deleted_at")).isNotNull();
        assertThat(api.get(path("/root")).body()).isEqualTo("{\"rootEnabled\":false}");
        Api.Response again = api.delete(path("/root"));
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.fault()).isEqualTo("itemNotFound");
        assertThat(message(again)).isEqualTo("Root user has never been enabled on the instance.");
        assertThat(guest.calls("disable_root")).hasSize(1);

        Api.Response withPassword = api.post(path("/root"), "{\"password\": \"Given-Root-2\"}", "X-User-Id", "bob");
        assertThat(withPassword.status()).isEqualTo(200);
        assertThat(withPassword.json().at("/user/password").asText()).isEqualTo("Given-Root-2");
        assertThat(guest.calls("enable_root_with_password")).singleElement().satisfies(c ->
                assertThat(c.args().toString()).isEqualTo("{\"root_password\":\"Given-Root-2\"}"));
        assertThat(history(instanceId)).containsEntry("user_id", "bob").containsEntry("deleted_at", null);
        assertThat(api.get(path("/root")).json().get("rootEnabled").asBoolean()).isTrue();
        assertThat(guest.calls("is_root_enabled")).as("show reads the history, not the guest").isEmpty();
    }

    @Test
    void anEmptyBodyOrPasswordLetsTheGuestChooseAndAPasswordMustBeAString() {
        assertThat(api.post(path("/root"), "{}").status()).isEqualTo(200);
        assertThat(api.post(path("/root"), "{\"password\": \"\"}").status()).isEqualTo(200);
        assertThat(api.post(path("/root"), "{\"password\": null}").status()).isEqualTo(200);
        assertThat(guest.calls("enable_root")).hasSize(3);

        Api.Response number = api.post(path("/root"), "{\"password\": 5}");
        assertThat(number.status()).isEqualTo(400);
        // a password is never quoted, whatever its type (Trove's message shows the 5)
        assertThat(message(number)).isEqualTo("Validation error: password '***' is not of type 'string'");
        assertThat(guest.calls("enable_root_with_password")).isEmpty();
    }

    @Test
    void aRootReportRecordedByTheConductorShowsAsEnabled() {
        jdbc.update("INSERT INTO root_enabled_history (instance_id, user_id, created) "
                + "VALUES (?, 'guest', timezone('UTC', now()))", instanceId);

        assertThat(api.get(path("/root")).body()).isEqualTo("{\"rootEnabled\":true}");
        assertThat(api.delete(path("/root")).status()).isEqualTo(204);
        assertThat(api.get(path("/root")).body()).isEqualTo("{\"rootEnabled\":false}");
    }

    @Test
    void unsupportedDatastoresBusyInstancesAndOtherProjectsAreRefused() {
        String redis = new InstanceRow(project).version(REDIS7).insert(jdbc);
        String building = new InstanceRow(project).task(0x05).server("BUILD").service(0x17, "new").insert(jdbc);
        String elsewhere = "/v1.0/" + TestData.project() + "/instances/" + instanceId + "/root";

        Api.Response unsupported = api.post(path(redis, "/root"), "{}");
        assertThat(unsupported.status()).isEqualTo(501);
        assertThat(unsupported.fault()).isEqualTo("notImplemented");
        assertThat(message(unsupported)).isEqualTo("The 'root' operation is not supported for the 'redis' datastore.");
        assertThat(api.get(path(redis, "/root")).status()).isEqualTo(501);

        Api.Response busy = api.get(path(building, "/root"));
        assertThat(busy.status()).isEqualTo(422);
        assertThat(message(busy)).isEqualTo("Instance " + building + " is not ready, status: new.");

        for (Api.Response r : new Api.Response[] {api.get(elsewhere), api.post(elsewhere, "{}"),
                api.delete(elsewhere)}) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(message(r)).isEqualTo("Resource " + instanceId + " cannot be found.");
        }
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void aGuestThatDoesNotAnswerLeavesNoHistory() {
        String noGuest = new InstanceRow(project).insert(jdbc);

        Api.Response response = api.post(path(noGuest, "/root"), "{}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(message(response)).isEqualTo("Timeout trying to connect to the Guest Agent.");
        assertThat(count("SELECT count(*) FROM root_enabled_history WHERE instance_id = ?", noGuest)).isZero();
    }

    @Test
    void aGuestWithoutTheMethodIsNotImplementedNotAServerError() {
        guest.failNext("enable_root", "NoSuchMethod", "Endpoint does not support RPC method enable_root");

        Api.Response response = api.post(path("/root"), "{}");

        assertThat(response.status()).isEqualTo(501);
        assertThat(response.body()).contains("\"notImplemented\"").contains("'enable_root' operation is not supported");
        assertThat(count("SELECT count(*) FROM root_enabled_history WHERE instance_id = ?", instanceId)).isZero();
    }
}
