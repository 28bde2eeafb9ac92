package org.trovej.api.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;

/** /flavors and /datastores: Trove's views, the not-found quirks, and what non-admins may see. */
class FlavorAndDatastoreViewsTest extends ApiIntegrationTest {

    private final String base = "/v1.0/" + TestData.project();

    @Test
    void flavorsHaveANumericIdWhenTheyCanAndAlwaysTheStringOne() {
        JsonNode flavors = api.get(base + "/flavors").json().get("flavors");

        JsonNode small = find(flavors, "str_id", "2");
        assertThat(small.get("id").isInt()).isTrue();
        assertThat(small.get("id").asInt()).isEqualTo(2);
        assertThat(small.get("name").asText()).isEqualTo("m1.small");
        assertThat(small.get("ram").asInt()).isEqualTo(2048);
        assertThat(small.get("vcpus").asInt()).isEqualTo(1);
        assertThat(small.get("disk").asInt()).isEqualTo(20);
        assertThat(small.get("ephemeral").asInt()).isZero();
        assertThat(small.get("links").get(0).get("href").asText())
                .isEqualTo("https://127.0.0.1:" + port + base + "/flavors/2");
        assertThat(find(flavors, "str_id", "d1").get("id").isNull()).isTrue();

        JsonNode one = api.get(base + "/flavors/d1").json().get("flavor");
        assertThat(one.get("str_id").asText()).isEqualTo("d1");
        assertThat(one.has("id")).isTrue();
        Api.Response unknown = api.get(base + "/flavors/nosuch");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"itemNotFound\":{\"code\":404,\"message\":\"Resource nosuch cannot "
                + "be found.\"}}");
    }

    @Test
    void nonAdminsSeeOnlyActiveDatastoresAndVersions() {
        JsonNode datastores = api.get(base + "/datastores").json().get("datastores");

        assertThat(names(datastores)).contains("postgresql").doesNotContain("mysql");
        JsonNode postgresql = find(datastores, "name", "postgresql");
        assertThat(postgresql.get("id").asText()).isEqualTo(TestData.POSTGRESQL);
        assertThat(postgresql.get("default_version").asText()).isEqualTo(TestData.PG16);
        assertThat(postgresql.get("links").get(1).get("href").asText())
                .isEqualTo("https://127.0.0.1:" + port + "/datastores/" + TestData.POSTGRESQL);
        assertThat(postgresql.get("versions")).hasSize(1);
        JsonNode version = postgresql.get("versions").get(0);
        assertThat(version.toString()).isEqualTo("{\"id\":\"" + TestData.PG16 + "\",\"name\":\"16\",\"version\":"
                + "\"16.4\",\"links\":[{\"href\":\"https://127.0.0.1:" + port + base + "/datastores/versions/"
                + TestData.PG16 + "\",\"rel\":\"self\"},{\"href\":\"https://127.0.0.1:" + port
                + "/datastores/versions/" + TestData.PG16 + "\",\"rel\":\"bookmark\"}]}");
    }

    @Test
    void adminsSeeEverythingWithDeploymentDetails() {
        JsonNode datastores = api.get(base + "/datastores", AS_ADMIN).json().get("datastores");

        assertThat(names(datastores)).contains("postgresql", "mysql");
        JsonNode postgresql = find(datastores, "name", "postgresql");
        assertThat(names(postgresql.get("versions"))).contains("16", "12");
        JsonNode v16 = find(postgresql.get("versions"), "name", "16");
        assertThat(v16.get("active").asBoolean()).isTrue();
        assertThat(v16.get("packages").asText()).isEqualTo("postgresql-16,postgresql-contrib");
        assertThat(v16.get("image").isNull()).isTrue();
        assertThat(v16.get("image_tags").toString()).isEqualTo("[\"trove\",\"postgres\"]");
        assertThat(v16.has("registry_ext")).isTrue();
        assertThat(v16.has("repl_strategy")).isTrue();
        assertThat(v16.has("datastore")).as("not inside its datastore").isFalse();

        JsonNode versions = api.get(base + "/datastores/postgresql/versions", AS_ADMIN).json().get("versions");
        assertThat(names(versions)).contains("16", "12");
    }

    @Test
    void aDatastoreIsFoundByIdOrNameElse404() {
        JsonNode byName = api.get(base + "/datastores/postgresql").json().get("datastore");
        JsonNode byId = api.get(base + "/datastores/" + TestData.POSTGRESQL).json().get("datastore");

        assertThat(byName).isEqualTo(byId);
        assertThat(byName.get("versions")).hasSize(1);
        Api.Response unknown = api.get(base + "/datastores/nosuch");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/itemNotFound/message").asText()).isEqualTo("Datastore 'nosuch' cannot be found.");
        assertThat(api.get(base + "/datastores/nosuch/versions").status()).isEqualTo(404);
    }

    @Test
    void versionsAreListedAndFoundByNameOrId() {
        JsonNode versions = api.get(base + "/datastores/postgresql/versions").json().get("versions");
        assertThat(names(versions)).containsExactly("16");
        assertThat(versions.get(0).get("datastore").asText()).isEqualTo(TestData.POSTGRESQL);

        JsonNode byName = api.get(base + "/datastores/postgresql/versions/16").json().get("version");
        JsonNode byId = api.get(base + "/datastores/" + TestData.POSTGRESQL + "/versions/" + TestData.PG16).json()
                .get("version");
        JsonNode byUuid = api.get(base + "/datastores/versions/" + TestData.PG16).json().get("version");
        assertThat(byName).isEqualTo(byId).isEqualTo(byUuid);
        assertThat(byName.get("datastore").asText()).isEqualTo(TestData.POSTGRESQL);
        assertThat(byName.has("active")).isFalse();
    }

    @Test
    void unknownVersionsFollowTrovesStatusQuirks() {
        Api.Response byName = api.get(base + "/datastores/postgresql/versions/99");
        Api.Response byUuid = api.get(base + "/datastores/versions/" + UUID.randomUUID());
        Api.Response uuidUnderDatastore = api.get(base + "/datastores/postgresql/versions/" + UUID.randomUUID());

        assertThat(byName.status()).isEqualTo(400);
        assertThat(byName.json().at("/badRequest/message").asText()).isEqualTo("Datastore version '99' cannot be found.");
        assertThat(byUuid.status()).isEqualTo(400);
        assertThat(uuidUnderDatastore.status()).isEqualTo(404);
        assertThat(api.get(base + "/datastores/versions/versions").json().at("/itemNotFound/message").asText())
                .isEqualTo("Datastore 'versions' cannot be found.");
    }

    @Test
    void aVersionsFlavorsAreAllFlavorsUnlessItIsBoundToSome() {
        int all = api.get(base + "/flavors").json().get("flavors").size();
        assertThat(api.get(base + "/datastores/postgresql/versions/16/flavors").json().get("flavors")).hasSize(all);

        jdbc.update("INSERT INTO datastore_version_metadata (id, datastore_version_id, key, value, created, deleted) "
                + "VALUES (?, ?, 'flavor', 'd1', now(), false), (?, ?, 'flavor', 'd2', now(), false) "
                + "ON CONFLICT DO NOTHING", UUID.randomUUID().toString(), TestData.MYSQL80,
                UUID.randomUUID().toString(), TestData.MYSQL80);
        JsonNode bound = api.get(base + "/datastores/mysql/versions/" + TestData.MYSQL80 + "/flavors").json()
                .get("flavors");
        assertThat(names(bound, "str_id")).containsExactly("d1", "d2");
    }

    private static JsonNode find(JsonNode array, String key, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.get(key).asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + key + "=" + value + " in " + array);
    }

    private static List<String> names(JsonNode array) {
        return names(array, "name");
    }

    private static List<String> names(JsonNode array, String key) {
        List<String> names = new ArrayList<>();
        array.forEach(item -> names.add(item.get(key).asText()));
        return names;
    }
}
