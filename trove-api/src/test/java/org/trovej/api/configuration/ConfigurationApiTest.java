package org.trovej.api.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.GuestApiTest;
import org.trovej.api.support.TestData;

/**
 * {@code /configurations}, the parameter catalogue endpoints and attach/detach through {@code PUT /instances/{id}},
 * against a stand-in guest on the real broker: Trove's bodies, status codes and messages, the guest calls in
 * Trove's order, and that a refused request changes nothing anywhere.
 */
class ConfigurationApiTest extends GuestApiTest {

    @BeforeEach
    void catalogue() {
        jdbc.update("""
                INSERT INTO datastore_configuration_parameters (id, name, datastore_version_id, restart_required,
                    max_size, min_size, data_type, allowed_values, default_value, deleted)
                VALUES (gen_random_uuid()::text, 'max_connections', ?, true, '262143', '1', 'integer', null, '100', false),
                       (gen_random_uuid()::text, 'work_mem', ?, false, '2147483647', '64', 'integer', null, '4096', false),
                       (gen_random_uuid()::text, 'synchronous_commit', ?, false, null, null, 'string',
                        '["local","remote_write","remote_apply","on","off"]', 'on', false),
                       (gen_random_uuid()::text, 'jit', ?, false, null, null, 'boolean', null, 'on', false),
                       (gen_random_uuid()::text, 'cursor_tuple_fraction', ?, false, '1', '0', 'float', null, '0.1', false)
                ON CONFLICT DO NOTHING
                """, TestData.PG16, TestData.PG16, TestData.PG16, TestData.PG16, TestData.PG16);
    }

    private String configurations(String rest) {
        return "/v1.0/" + project + "/configurations" + rest;
    }

    private String create(String values) {
        Api.Response created = api.post(configurations(""), "{\"configuration\": {\"name\": \"grp\", \"description\": "
                + "\"tuned\", \"values\": " + values + ", \"datastore\": {\"type\": \"postgresql\", \"version\": "
                + "\"16\"}}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().path("configuration").path("id").asText();
    }

    @Test
    void aGroupIsCreatedShownListedAndDeletedAsTroveShowsIt() {
        Api.Response created = api.post(configurations(""), "{\"configuration\": {\"name\": \"grp\", \"values\": "
                + "{\"work_mem\": 8192, \"JIT\": false, \"synchronous_commit\": \"off\", "
                + "\"cursor_tuple_fraction\": 0.5}, \"datastore\": {\"type\": \"postgresql\", \"version\": \"16\"}}}");

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode c = created.json().get("configuration");
        String id = c.get("id").asText();
        assertThat(c.get("name").asText()).isEqualTo("grp");
        assertThat(c.get("values").toString()).as("typed per parameter, named as the catalogue names them")
                .isEqualTo("{\"work_mem\":8192,\"jit\":false,\"synchronous_commit\":\"off\","
                        + "\"cursor_tuple_fraction\":0.5}");
        assertThat(c.get("instance_count").asInt()).isZero();
        assertThat(c.get("datastore_name").asText()).isEqualTo("postgresql");
        assertThat(c.get("datastore_version_name").asText()).isEqualTo("16");
        assertThat(c.get("datastore_version_number").asText()).isEqualTo("16.4");
        assertThat(c.get("datastore_version_id").asText()).isEqualTo(TestData.PG16);

        JsonNode shown = api.get(configurations("/" + id)).json().get("configuration");
        assertThat(shown.get("values").toString()).isEqualTo("{\"cursor_tuple_fraction\":0.5,\"jit\":false,"
                + "\"synchronous_commit\":\"off\",\"work_mem\":8192}");
        JsonNode listed = api.get(configurations("")).json();
        assertThat(listed.get("configurations").findValuesAsText("id")).containsExactly(id);
        assertThat(listed.get("configurations").get(0).has("values")).isFalse();
        assertThat(api.get(configurations("/" + id + "/instances")).body()).isEqualTo("{\"instances\":[]}");

        Api.Response otherProject = api.get("/v1.0/" + TestData.project() + "/configurations/" + id);
        assertThat(otherProject.status()).isEqualTo(404);
        assertThat(message(otherProject)).isEqualTo("Configuration group with ID " + id + " could not be found.");

        assertThat(api.delete(configurations("/" + id)).status()).isEqualTo(202);
        assertThat(api.get(configurations("/" + id)).status()).isEqualTo(404);
    }

    @Test
    void valuesTheCatalogueRefusesAreRefusedNamingTheParameterAndNothingIsStored() {
        String id = create("{\"work_mem\": 4096}");
        assertRefused("{\"max_connection\": 5}", "The configuration parameter max_connection is not supported for "
                + "this datastore: postgresql 16.");
        assertRefused("{\"work_mem\": \"64MB\"}", "The value provided for the configuration parameter work_mem is "
                + "not of type integer.");
        assertRefused("{\"work_mem\": true}", "The value provided for the configuration parameter work_mem is not "
                + "of type integer.");
        assertRefused("{\"work_mem\": 10}", "The value for the configuration parameter work_mem is less than the "
                + "minimum allowed: 64");
        assertRefused("{\"max_connections\": 262144}", "The value for the configuration parameter max_connections "
                + "is greater than the maximum allowed: 262143");
        assertRefused("{\"synchronous_commit\": \"sometimes\"}", "The value for the configuration parameter "
                + "synchronous_commit must be one of: local, remote_write, remote_apply, on, off.");
        assertRefused("{\"cursor_tuple_fraction\": 1.5}", "The value for the configuration parameter "
                + "cursor_tuple_fraction is greater than the maximum allowed: 1");

        Api.Response patch = api.patch(configurations("/" + id), "{\"configuration\": {\"values\": "
                + "{\"work_mem\": 1}}}");
        assertThat(patch.status()).isEqualTo(422);
        assertThat(api.get(configurations("/" + id)).json().at("/configuration/values").toString())
                .isEqualTo("{\"work_mem\":4096}");
        Api.Response schema = api.post(configurations(""), "{\"configuration\": {\"values\": {}}}");
        assertThat(schema.status()).isEqualTo(400);
        assertThat(message(schema)).isEqualTo("Validation error: configuration 'name' is a required property");
        assertThat(guest.calls()).isEmpty();
    }

    private void assertRefused(String values, String expected) {
        long before = jdbc.queryForObject("SELECT count(*) FROM configurations", Long.class);
        Api.Response response = api.post(configurations(""), "{\"configuration\": {\"name\": \"bad\", \"values\": "
                + values + ", \"datastore\": {\"type\": \"postgresql\", \"version\": \"16\"}}}");
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(message(response)).isEqualTo(expected);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM configurations", Long.class)).isEqualTo(before);
    }

    @Test
    void attachingADynamicGroupAppliesItAtOnceAndDetachResetsTheDefaults() {
        String id = create("{\"work_mem\": 8192}");

        Api.Response attached = api.put(path(""), "{\"instance\": {\"configuration\": \"" + id + "\"}}");

        assertThat(attached.status()).as(attached.body()).isEqualTo(202);
        assertThat(guest.changes()).containsExactly("update_overrides", "apply_overrides");
        assertThat(guest.calls("update_overrides").get(0).args().toString())
                .isEqualTo("{\"overrides\":{\"work_mem\":8192},\"remove\":false}");
        assertThat(guest.calls("apply_overrides").get(0).args().toString())
                .isEqualTo("{\"overrides\":{\"work_mem\":8192}}");
        JsonNode instance = api.get(path("")).json().get("instance");
        assertThat(instance.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(instance.at("/configuration/id").asText()).isEqualTo(id);
        assertThat(instance.at("/configuration/name").asText()).isEqualTo("grp");
        assertThat(api.get(configurations("/" + id)).json().at("/configuration/instance_count").asInt()).isOne();
        assertThat(api.get(configurations("/" + id + "/instances")).json().get("instances").findValuesAsText("id"))
                .containsExactly(instanceId);

        Api.Response again = api.put(path(""), "{\"instance\": {\"configuration\": \"" + id + "\"}}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(message(again)).isEqualTo("Instance " + instanceId + " already has a Configuration Group "
                + "attached: " + id + ".");
        Api.Response deleteAttached = api.delete(configurations("/" + id));
        assertThat(deleteAttached.status()).isEqualTo(400);
        assertThat(message(deleteAttached)).startsWith("A configuration group cannot be deleted if it is associated");

        guest.clearCalls();
        Api.Response edited = api.patch(configurations("/" + id), "{\"configuration\": {\"values\": "
                + "{\"synchronous_commit\": \"local\"}}}");
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.body()).isEmpty();
        assertThat(guest.calls("update_overrides").get(0).args().toString()).as("PATCH merges")
                .isEqualTo("{\"overrides\":{\"work_mem\":8192,\"synchronous_commit\":\"local\"},\"remove\":false}");
        assertThat(guest.calls("apply_overrides")).hasSize(1);

        guest.clearCalls();
        Api.Response detached = api.put(path(""), "{\"instance\": {\"configuration\": null}}");
        assertThat(detached.status()).as(detached.body()).isEqualTo(202);
        assertThat(guest.calls("update_overrides").get(0).args().toString())
                .isEqualTo("{\"overrides\":{},\"remove\":true}");
        assertThat(guest.calls("apply_overrides").get(0).args().toString()).as("the engine's defaults")
                .isEqualTo("{\"overrides\":{\"synchronous_commit\":\"on\",\"work_mem\":4096}}");
        assertThat(api.get(path("")).json().get("instance").has("configuration")).isFalse();
        assertThat(api.get(path("")).json().at("/instance/status").asText()).isEqualTo("ACTIVE");
        assertThat(api.delete(configurations("/" + id)).status()).isEqualTo(202);
    }

    @Test
    void aGroupThatNeedsARestartLeavesTheInstanceRestartRequired() {
        String id = create("{\"max_connections\": 101}");

        assertThat(api.put(path(""), "{\"instance\": {\"configuration\": \"" + id + "\"}}").status()).isEqualTo(202);

        assertThat(guest.changes()).containsExactly("update_overrides");
        assertThat(api.get(path("")).json().at("/instance/status").asText()).isEqualTo("RESTART_REQUIRED");
        Api.Response detach = api.put(path(""), "{\"instance\": {}}");
        assertThat(detach.status()).as("Trove's assign check: a task is running").isEqualTo(400);
        assertThat(message(detach)).isEqualTo("The operation you have requested cannot be executed because the "
                + "instance status is currently: RESTART_REQUIRED.");

        guest.clearCalls();
        Api.Response put = api.put(configurations("/" + id), "{\"configuration\": {\"values\": "
                + "{\"max_connections\": 102}, \"name\": \"renamed\"}}");
        assertThat(put.status()).isEqualTo(202);
        assertThat(guest.calls("update_overrides").get(0).args().toString())
                .isEqualTo("{\"overrides\":{\"max_connections\":102},\"remove\":false}");
        assertThat(guest.calls("apply_overrides")).isEmpty();
        assertThat(api.get(configurations("/" + id)).json().at("/configuration/name").asText()).isEqualTo("renamed");
    }

    @Test
    void theDynamicValuesOfAGroupThatAlsoNeedsARestartAreAppliedAtOnce() {
        String id = create("{\"max_connections\": 150, \"work_mem\": 8192}");

        assertThat(api.put(path(""), "{\"instance\": {\"configuration\": \"" + id + "\"}}").status()).isEqualTo(202);

        assertThat(guest.calls("update_overrides").get(0).args().toString())
                .isEqualTo("{\"overrides\":{\"max_connections\":150,\"work_mem\":8192},\"remove\":false}");
        assertThat(guest.calls("apply_overrides").get(0).args().toString())
                .isEqualTo("{\"overrides\":{\"work_mem\":8192}}");
        assertThat(api.get(path("")).json().at("/instance/status").asText()).isEqualTo("RESTART_REQUIRED");
    }

    @Test
    void aValueTheGuestRefusesIsA422AndTheInstanceKeepsNoGroup() {
        String id = create("{\"work_mem\": 8192}");
        guest.failNext("apply_overrides", "UnprocessableEntity", "The engine refused work_mem: out of memory.");

        Api.Response attached = api.put(path(""), "{\"instance\": {\"configuration\": \"" + id + "\"}}");

        assertThat(attached.status()).as(attached.body()).isEqualTo(422);
        assertThat(message(attached)).isEqualTo("The engine refused work_mem: out of memory.");
        JsonNode instance = api.get(path("")).json().get("instance");
        assertThat(instance.has("configuration")).isFalse();
        assertThat(instance.get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void aGroupOfAnotherVersionOrProjectCannotBeAttached() {
        String other = jdbc.queryForObject("INSERT INTO configurations (id, name, tenant_id, datastore_version_id, "
                + "created, updated, deleted) VALUES (gen_random_uuid()::text, 'old', ?, ?, now(), now(), false) "
                + "RETURNING id", String.class, project, TestData.PG12);
        Api.Response mismatch = api.put(path(""), "{\"instance\": {\"configuration\": \"" + other + "\"}}");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(message(mismatch)).isEqualTo("Datastore Version on Configuration " + TestData.PG12
                + " does not match the Datastore Version on the instance " + TestData.PG16 + ".");

        String unknown = "11111111-2222-4333-8444-555555555555";
        Api.Response missing = api.put(path(""), "{\"instance\": {\"configuration\": \"" + unknown + "\"}}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(message(missing)).isEqualTo("Configuration group id: " + unknown + " could not be found.");
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void theCatalogueIsServedByDatastoreVersionAndTheDefaultsByInstance() {
        JsonNode list = api.get("/v1.0/" + project + "/datastores/postgresql/versions/16/parameters").json();
        assertThat(list.get("configuration-parameters").findValuesAsText("name")).contains("max_connections",
                "work_mem");
        Api.Response one = api.get("/v1.0/" + project + "/datastores/versions/" + TestData.PG16
                + "/parameters/cursor_tuple_fraction");
        assertThat(one.body()).isEqualTo("{\"name\":\"cursor_tuple_fraction\",\"datastore_version_id\":\""
                + TestData.PG16 + "\",\"restart_required\":false,\"type\":\"float\",\"max\":1}");
        assertThat(api.get("/v1.0/" + project + "/datastores/postgresql/versions/16/parameters/nope").status())
                .isEqualTo(404);

        JsonNode defaults = api.get(path("/configuration")).json();
        assertThat(defaults.at("/instance/configuration/max_connections").asText()).isEqualTo("100");
    }
}
