package org.trovej.api.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;

/** /mgmt/datastores/versions/{vid}/parameters: Trove's shapes, codes and checks. */
class MgmtParameterTest extends ApiIntegrationTest {

    private String versionId;
    private String base;

    @BeforeEach
    void version() {
        String datastore = "ds-" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/v1.0/admin/mgmt/datastore-versions", """
                {"version": {"name": "1", "datastore_name": "%s", "datastore_manager": "postgresql",
                  "image_tags": ["pg"], "active": true}}""".formatted(datastore), AS_ADMIN);
        versionId = jdbc.queryForObject("SELECT v.id FROM datastore_versions v JOIN datastores d ON d.id = "
                + "v.datastore_id WHERE d.name = ?", String.class, datastore);
        base = "/v1.0/admin/mgmt/datastores/versions/" + versionId + "/parameters";
    }

    @Test
    void createShowListUpdateDelete() {
        Api.Response created = api.post(base, """
                {"configuration-parameter": {"name": "max_connections", "restart_required": 1,
                  "data_type": "integer", "max_size": "10000", "min_size": "1"}}""", AS_ADMIN);
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().toString()).isEqualTo("{\"name\":\"max_connections\",\"datastore_version_id\":\""
                + versionId + "\",\"restart_required\":true,\"type\":\"integer\",\"max_size\":10000,\"min_size\":1}");

        assertThat(api.post(base, """
                {"configuration-parameter": {"name": "datestyle", "restart_required": 0, "data_type": "string"}}""",
                AS_ADMIN).json().toString()).isEqualTo("{\"name\":\"datestyle\",\"datastore_version_id\":\""
                + versionId + "\",\"restart_required\":false,\"type\":\"string\"}");

        assertThat(api.get(base + "/max_connections", AS_ADMIN).json()).isEqualTo(created.json());
        assertThat(api.get(base, AS_ADMIN).json().get("configuration-parameters").findValuesAsText("name"))
                .containsExactly("datestyle", "max_connections");

        Api.Response updated = api.put(base + "/max_connections", """
                {"configuration-parameter": {"name": "ignored", "restart_required": 0,
                  "data_type": "integer", "max_size": 500, "min_size": 0}}""", AS_ADMIN);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().toString()).isEqualTo("{\"name\":\"max_connections\",\"datastore_version_id\":\""
                + versionId + "\",\"restart_required\":false,\"type\":\"integer\",\"max_size\":500}");

        Api.Response deleted = api.delete(base + "/max_connections", AS_ADMIN);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get(base + "/max_connections", AS_ADMIN).status()).isEqualTo(404);
        Api.Response again = api.delete(base + "/max_connections", AS_ADMIN);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().at("/badRequest/message").asText())
                .isEqualTo("Parameter max_connections does not exist in the database.");
    }

    @Test
    void troveChecksAndAnswers() {
        Api.Response noBounds = api.post(base, """
                {"configuration-parameter": {"name": "a", "restart_required": 0, "data_type": "integer",
                  "min_size": 1}}""", AS_ADMIN);
        assertThat(noBounds.json().at("/badRequest/message").asText())
                .isEqualTo("max_size is required for integer data type.");
        Api.Response inverted = api.post(base, """
                {"configuration-parameter": {"name": "a", "restart_required": 0, "data_type": "integer",
                  "min_size": 10, "max_size": 1}}""", AS_ADMIN);
        assertThat(inverted.json().at("/badRequest/message").asText())
                .isEqualTo("max_size must be greater than or equal to min_size.");
        Api.Response badType = api.post(base, """
                {"configuration-parameter": {"name": "a", "restart_required": 2, "data_type": "float"}}""", AS_ADMIN);
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().at("/badRequest/message").asText()).isEqualTo("Validation error: "
                + "configuration-parameter['data_type'] 'float' does not match 'integer|string'; "
                + "configuration-parameter['restart_required'] 2 is greater than the maximum of 1");

        String body = "{\"configuration-parameter\": {\"name\": \"a\", \"restart_required\": 0, \"data_type\": \"string\"}}";
        assertThat(api.post(base, body, AS_ADMIN).status()).isEqualTo(200);
        Api.Response duplicate = api.post(base, body, AS_ADMIN);
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().at("/badRequest/message").asText())
                .isEqualTo("a parameter already exists for datastore version " + versionId + ".");

        String unknownVersion = "/v1.0/admin/mgmt/datastores/versions/" + UUID.randomUUID() + "/parameters";
        assertThat(api.get(unknownVersion, AS_ADMIN).status()).isEqualTo(400);
        assertThat(api.get(base + "/nope", AS_ADMIN).json().toString())
                .isEqualTo("{\"itemNotFound\":{\"code\":404,\"message\":\"Resource nope cannot be found.\"}}");
        assertThat(api.get(base).status()).as("members").isEqualTo(401);
        assertThat(api.post(base, body).status()).isEqualTo(401);
    }
}
