package org.trovej.api.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;

/** /mgmt/datastore-versions: register, list, show, PATCH, delete; Trove's validation and admin-only 401. */
class MgmtDatastoreVersionTest extends ApiIntegrationTest {

    private static final String BASE = "/v1.0/admin/mgmt/datastore-versions";
    private static final String IMAGE = "5a7f1c3e-0b6d-4c1e-9f57-6a1d2e3f4b5c";

    private JsonNode byName(String datastore, String name) {
        for (JsonNode version : api.get(BASE, AS_ADMIN).json().get("versions")) {
            if (version.get("datastore_name").asText().equals(datastore) && version.get("name").asText().equals(name)) {
                return version;
            }
        }
        return null;
    }

    @Test
    void anOperatorRegistersAVersionInANewDatastoreAndUsersSeeIt() {
        String datastore = "ds-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.post(BASE, """
                {"version": {"name": "17", "datastore_name": "%s", "datastore_manager": "postgresql",
                  "image": "%s", "packages": ["pg-17", "pg-contrib"], "active": true, "default": true,
                  "version": "17.2"}}""".formatted(datastore, IMAGE), AS_ADMIN);

        assertThat(created.status()).isEqualTo(202);
        assertThat(created.body()).isEmpty();
        JsonNode version = byName(datastore, "17");
        assertThat(version).isNotNull();
        String id = version.get("id").asText();
        assertThat(version.toString()).isEqualTo(("{\"id\":\"%s\",\"name\":\"17\",\"version\":\"17.2\","
                + "\"datastore_id\":\"%s\",\"datastore_name\":\"%s\",\"datastore_manager\":\"postgresql\","
                + "\"image\":\"%s\",\"image_tags\":[\"\"],\"packages\":[\"pg-17\",\"pg-contrib\"],\"active\":true,"
                + "\"registry_ext\":null,\"repl_strategy\":null,\"default\":true}").formatted(id,
                version.get("datastore_id").asText(), datastore, IMAGE));
        assertThat(api.get(BASE + "/" + id, AS_ADMIN).json().get("version")).isEqualTo(version);

        JsonNode shown = api.get("/v1.0/" + TestData.project() + "/datastores/" + datastore).json().get("datastore");
        assertThat(shown.get("default_version").asText()).isEqualTo(id);
        assertThat(shown.at("/versions/0/name").asText()).isEqualTo("17");
    }

    @Test
    void patchChangesWhatIsGivenAndDefaultFalseClearsTheDefault() {
        String datastore = "ds-" + UUID.randomUUID().toString().substring(0, 8);
        api.post(BASE, """
                {"version": {"name": "1", "datastore_name": "%s", "datastore_manager": "postgresql",
                  "image_tags": ["trove", "pg"], "active": false, "default": true}}""".formatted(datastore), AS_ADMIN);
        String id = byName(datastore, "1").get("id").asText();
        assertThat(byName(datastore, "1").get("version").asText()).as("version defaults to the name").isEqualTo("1");

        Api.Response patched = api.patch(BASE + "/" + id, """
                {"name": "1b", "active": true, "image": "%s", "packages": ["p1"], "default": false}"""
                .formatted(IMAGE), AS_ADMIN);

        assertThat(patched.status()).isEqualTo(202);
        JsonNode after = api.get(BASE + "/" + id, AS_ADMIN).json().get("version");
        assertThat(after.get("name").asText()).isEqualTo("1b");
        assertThat(after.get("active").asBoolean()).isTrue();
        assertThat(after.get("image").asText()).isEqualTo(IMAGE);
        assertThat(after.get("image_tags").toString()).isEqualTo("[\"trove\",\"pg\"]");
        assertThat(after.get("packages").toString()).isEqualTo("[\"p1\"]");
        assertThat(after.get("default").asBoolean()).isFalse();

        assertThat(api.patch(BASE + "/" + id, "{\"image_tags\": [\"new\"]}", AS_ADMIN).status()).isEqualTo(202);
        JsonNode tagged = api.get(BASE + "/" + id, AS_ADMIN).json().get("version");
        assertThat(tagged.get("image").isNull()).as("tags alone replace the image id").isTrue();
        assertThat(tagged.get("image_tags").toString()).isEqualTo("[\"new\"]");

        Api.Response unknownKey = api.patch(BASE + "/" + id, "{\"version\": \"2\"}", AS_ADMIN);
        assertThat(unknownKey.status()).isEqualTo(400);
        assertThat(unknownKey.json().at("/badRequest/message").asText())
                .isEqualTo("Validation error: Additional properties are not allowed ('version' was unexpected)");
    }

    @Test
    void createIsValidatedAsTroveDoes() {
        Api.Response missing = api.post(BASE, "{\"version\": {\"name\": \"x\"}}", AS_ADMIN);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/badRequest/message").asText()).isEqualTo("Validation error: version "
                + "'datastore_name' is a required property; version 'datastore_manager' is a required property; "
                + "version 'active' is a required property");

        Api.Response noImage = api.post(BASE, """
                {"version": {"name": "x", "datastore_name": "postgresql", "datastore_manager": "postgresql",
                  "active": true}}""", AS_ADMIN);
        assertThat(noImage.status()).isEqualTo(400);
        assertThat(noImage.json().at("/badRequest/message").asText()).isEqualTo("Image must be specified.");

        Api.Response badImage = api.post(BASE, """
                {"version": {"name": "x", "datastore_name": "postgresql", "datastore_manager": "postgresql",
                  "active": "yes", "image": "nope", "image_tags": ["a", "b", "c", "d", "e", "f"]}}""", AS_ADMIN);
        assertThat(badImage.status()).isEqualTo(400);
        assertThat(badImage.json().at("/badRequest/message").asText())
                .contains("version['active'] 'yes' is not one of [True, False]")
                .contains("version['image'] 'nope' does not match")
                .contains("version['image_tags'] ['a', 'b', 'c', 'd', 'e', 'f'] is too long");

        Api.Response duplicate = api.post(BASE, """
                {"version": {"name": "16", "datastore_name": "postgresql", "datastore_manager": "postgresql",
                  "active": true, "image": "%s", "version": "16.4"}}""".formatted(IMAGE), AS_ADMIN);
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().at("/badRequest/message").asText())
                .isEqualTo("The datastore version '16(16.4)' already exists.");
    }

    @Test
    void aVersionInUseCannotBeDeletedAndAnUnusedOneGoesWithItsParameters() {
        Api.Response inUse;
        String project = TestData.project();
        String datastore = "ds-" + UUID.randomUUID().toString().substring(0, 8);
        api.post(BASE, """
                {"version": {"name": "9", "datastore_name": "%s", "datastore_manager": "postgresql",
                  "image": "%s", "active": true, "default": true}}""".formatted(datastore, IMAGE), AS_ADMIN);
        String id = byName(datastore, "9").get("id").asText();
        String instance = new TestData.InstanceRow(project).version(id).insert(jdbc);
        api.post("/v1.0/admin/mgmt/datastores/versions/" + id + "/parameters",
                "{\"configuration-parameter\": {\"name\": \"work_mem\", \"restart_required\": 0, "
                        + "\"data_type\": \"integer\", \"max_size\": \"1024\", \"min_size\": 64}}", AS_ADMIN);

        inUse = api.delete(BASE + "/" + id, AS_ADMIN);
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(inUse.json().at("/badRequest/message").asText()).isEqualTo("Datastore version is in use by instance.");

        jdbc.update("UPDATE instances SET deleted = true WHERE id = ?", instance);
        assertThat(api.delete(BASE + "/" + id, AS_ADMIN).status()).isEqualTo(202);
        assertThat(byName(datastore, "9")).isNull();
        assertThat(count("SELECT count(*) FROM datastore_configuration_parameters WHERE datastore_version_id = ?", id))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT default_version_id FROM datastores WHERE name = ?", String.class,
                datastore)).isNull();
        Api.Response gone = api.get(BASE + "/" + id, AS_ADMIN);
        assertThat(gone.status()).isEqualTo(400);
        assertThat(gone.json().at("/badRequest/message").asText())
                .isEqualTo("Datastore version '" + id + "' cannot be found.");
    }

    @Test
    void membersGetUnauthorizedEverywhere() {
        String project = TestData.project();
        String base = "/v1.0/" + project + "/mgmt/datastore-versions";
        for (Api.Response refused : new Api.Response[] {api.get(base), api.get(base + "/" + TestData.PG16),
                api.post(base, "{}"), api.patch(base + "/" + TestData.PG16, "{}"),
                api.delete(base + "/" + TestData.PG16)}) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().toString()).isEqualTo(
                    "{\"unauthorized\":{\"code\":401,\"message\":\"User does not have admin privileges.\"}}");
        }
        assertThat(count("SELECT count(*) FROM datastore_versions WHERE id = ?", TestData.PG16)).isEqualTo(1);
    }
}
