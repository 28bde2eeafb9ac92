package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.CastRecorder;
import org.trovej.api.support.TestData;
import org.trovej.service.keys.InstanceKeyStore;

/** POST /instances: the response, the records, the cast on the broker, and every refusal writing nothing. */
@ExtendWith(OutputCaptureExtension.class)
class InstanceCreateTest extends ApiIntegrationTest {

    private static final String PASSWORD = "s3cret-" + UUID.randomUUID();

    @Autowired
    InstanceKeyStore keys;

    @Test
    void createAnswers200WithTheDetailViewAndCastsCreateInstance(CapturedOutput output) {
        String project = TestData.project();
        Api.Response response = api.post("/v1.0/" + project + "/instances", """
                {"instance": {"name": "db1", "flavorRef": "https://h/v1.0/x/flavors/2",
                  "volume": {"size": 2}, "datastore": {"type": "postgresql", "version": "16"},
                  "databases": [{"name": "app"}, {"name": "audit", "character_set": "UTF8"}],
                  "users": [{"name": "alice", "password": "%s", "databases": [{"name": "app"}]}],
                  "access": {"is_public": false, "allowed_cidrs": ["10.0.0.0/8"]}}}
                """.formatted(PASSWORD));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("x-openstack-request-id")).matches("req-[0-9a-f-]{36}");
        JsonNode instance = response.json().get("instance");
        String id = instance.get("id").asText();
        assertThat(instance.get("name").asText()).isEqualTo("db1");
        assertThat(instance.get("status").asText()).isEqualTo("BUILD");
        assertThat(instance.get("operating_status").asText()).isEmpty();
        assertThat(instance.get("links").get(0).get("href").asText())
                .isEqualTo("https://127.0.0.1:" + port + "/v1.0/" + project + "/instances/" + id);
        assertThat(instance.get("links").get(1).get("href").asText())
                .isEqualTo("https://127.0.0.1:" + port + "/instances/" + id);
        assertThat(instance.get("flavor").get("id").asText()).isEqualTo("2");
        assertThat(instance.get("flavor").get("links").get(1).get("href").asText()).endsWith("/flavors/2");
        assertThat(instance.get("datastore").toString())
                .isEqualTo("{\"type\":\"postgresql\",\"version\":\"16\",\"version_number\":\"16.4\"}");
        assertThat(instance.get("volume").toString()).isEqualTo("{\"size\":2}");
        assertThat(instance.get("region").asText()).isEqualTo("RegionOne");
        assertThat(instance.get("access").toString()).isEqualTo("{\"is_public\":false,\"allowed_cidrs\":[\"10.0.0.0/8\"]}");
        assertThat(instance.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(instance.get("updated").asText()).isEqualTo(instance.get("created").asText());
        assertThat(instance.get("service_status_updated").asText()).matches("\\d{4}-.*T.*");
        assertThat(instance.has("fault")).isFalse();
        assertThat(instance.has("tenant_id")).isFalse();
        assertThat(instance.has("password")).isFalse();
        assertThat(response.body()).doesNotContain(PASSWORD);

        assertThat(jdbc.queryForMap("SELECT task_id, task_description, server_status, flavor_id, volume_size, "
                + "datastore_version_id, tenant_id, region_id, deleted FROM instances WHERE id = ?", id))
                .containsEntry("task_id", 5).containsEntry("server_status", "BUILD").containsEntry("flavor_id", "2")
                .containsEntry("volume_size", 2).containsEntry("datastore_version_id", TestData.PG16)
                .containsEntry("tenant_id", project).containsEntry("region_id", "RegionOne")
                .containsEntry("deleted", false).containsEntry("task_description", "The instance is building.");
        assertThat(jdbc.queryForMap("SELECT status_id, status_description FROM service_statuses WHERE instance_id = ?",
                id)).containsEntry("status_id", 0x17).containsEntry("status_description", "new");
        assertThat(keys.keyOf(id)).as("the sealed per-instance key opens").hasSize(32);

        CastRecorder.Cast cast = casts.await("create_instance", id);
        JsonNode args = cast.args();
        assertThat(args.get("name").asText()).isEqualTo("db1");
        assertThat(args.get("flavor").toString())
                .isEqualTo("{\"id\":\"2\",\"name\":\"m1.small\",\"ram\":2048,\"vcpus\":1,\"disk\":20,\"ephemeral\":0}");
        assertThat(args.get("datastore_manager").asText()).isEqualTo("postgresql");
        assertThat(args.get("ds_version").asText()).isEqualTo("16.4");
        assertThat(args.get("volume_size").asInt()).isEqualTo(2);
        assertThat(args.get("databases").get(0).get("_name").asText()).isEqualTo("app");
        assertThat(args.get("databases").get(1).get("_character_set").asText()).isEqualTo("UTF8");
        JsonNode user = args.get("users").get(0);
        assertThat(user.get("_name").asText()).isEqualTo("alice");
        assertThat(user.get("_password").asText()).isEqualTo(PASSWORD);
        assertThat(user.get("_host").asText()).isEqualTo("%");
        assertThat(user.get("_databases").get(0).get("_name").asText()).isEqualTo("app");
        assertThat(args.get("access").get("is_public").asBoolean()).isFalse();
        assertThat(args.get("packages").toString()).isEqualTo("[\"postgresql-16\",\"postgresql-contrib\"]");
        assertThat(cast.context().projectId()).isEqualTo(project);
        assertThat(cast.context().requestId()).isEqualTo(response.header("x-openstack-request-id"));

        assertThat(output.getAll()).contains(id).doesNotContain(PASSWORD);
    }

    @Test
    void defaultsAreTheConfiguredDatastoreAndItsDefaultVersion() {
        String project = TestData.project();
        Api.Response response = api.post("/v1.0/" + project + "/instances",
                "{\"instance\": {\"name\": \"plain\", \"flavorRef\": 1, \"volume\": {\"size\": \"3\"}}}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode instance = response.json().get("instance");
        assertThat(instance.get("datastore").get("type").asText()).isEqualTo("postgresql");
        assertThat(instance.get("datastore").get("version").asText()).isEqualTo("16");
        assertThat(instance.get("flavor").get("id").asText()).isEqualTo("1");
        assertThat(instance.get("volume").get("size").asInt()).isEqualTo(3);
        assertThat(instance.get("access").toString()).isEqualTo("{}");
        casts.await("create_instance", instance.get("id").asText());
    }

    @Test
    void aVersionCanBeNamedByIdAndTheDatastoreByItsId() {
        Api.Response response = api.post("/v1.0/" + TestData.project() + "/instances", """
                {"instance": {"name": "by-id", "flavorRef": "d1", "volume": {"size": 1},
                  "datastore": {"type": "%s", "version": "%s"}}}""".formatted(TestData.POSTGRESQL, TestData.PG16));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/instance/datastore/version").asText()).isEqualTo("16");
    }

    static Stream<Arguments> refusals() {
        String ok = "\"flavorRef\": \"2\", \"volume\": {\"size\": 1}";
        return Stream.of(
                Arguments.of("unknown flavor", "{\"instance\": {\"name\": \"%s\", \"flavorRef\": \"99\", "
                        + "\"volume\": {\"size\": 1}}}", 400, "badRequest", "Resource 99 cannot be found."),
                Arguments.of("unknown datastore", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"datastore\": {\"type\": \"nosuch\"}}}", 404, "itemNotFound", "Datastore 'nosuch'"),
                Arguments.of("unknown version", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"datastore\": {\"type\": \"postgresql\", \"version\": \"99\"}}}", 400, "badRequest",
                        "Datastore version '99' cannot be found."),
                Arguments.of("inactive version", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"datastore\": {\"type\": \"postgresql\", \"version\": \"12\"}}}", 400, "badRequest",
                        "is not active"),
                Arguments.of("size 0", "{\"instance\": {\"name\": \"%s\", \"flavorRef\": \"2\", "
                        + "\"volume\": {\"size\": 0}}}", 400, "badRequest", "0 is less than the minimum of 1"),
                Arguments.of("size above the maximum", "{\"instance\": {\"name\": \"%s\", \"flavorRef\": \"2\", "
                        + "\"volume\": {\"size\": 11}}}", 413, "overLimit", "cannot exceed maximum of 10 GB"),
                Arguments.of("no volume", "{\"instance\": {\"name\": \"%s\", \"flavorRef\": \"2\"}}", 400,
                        "badRequest", "Volume size was not specified."),
                Arguments.of("missing name", "{\"instance\": {\"flavorRef\": \"2\", \"volume\": {\"size\": 1}, "
                        + "\"availability_zone\": \"%s\"}}", 400, "badRequest", "'name' is a required property"),
                Arguments.of("name without letters or digits", "{\"instance\": {\"name\": \"--\", " + ok
                        + ", \"availability_zone\": \"%s\"}}", 400, "badRequest", "does not match"),
                Arguments.of("user database not created", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"databases\": [{\"name\": \"a\"}], \"users\": [{\"name\": \"u\", \"password\": \"p\", "
                        + "\"databases\": [{\"name\": \"b\"}]}]}}", 400, "badRequest",
                        "database b is not included in the initial databases list"),
                Arguments.of("reserved database", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"databases\": [{\"name\": \"postgres\"}]}}", 400, "badRequest", "reserved list"),
                Arguments.of("user without password", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"users\": [{\"name\": \"u\"}]}}", 400, "badRequest", "'password' is a required property"),
                Arguments.of("two nics", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"nics\": [{}, {}]}}", 400, "badRequest", "is too long"),
                Arguments.of("unknown configuration", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"configuration\": \"" + UUID.randomUUID() + "\"}}", 404, "itemNotFound",
                        "Configuration group"),
                Arguments.of("bad locality", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"locality\": \"near\"}}", 400, "badRequest", "Invalid locality"),
                Arguments.of("replica with a flavor", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"replica_of\": \"" + UUID.randomUUID() + "\"}}", 400, "badRequest",
                        "Cannot specify flavor when creating replicas."),
                Arguments.of("access is_public not a boolean", "{\"instance\": {\"name\": \"%s\", " + ok
                        + ", \"access\": {\"is_public\": \"yes\"}}}", 400, "badRequest", "is not of type 'boolean'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedCreatesWriteNothingAndCastNothing(String what, String template, int status, String fault,
                                                  String message) {
        String project = TestData.project();
        String marker = "refused-" + UUID.randomUUID();
        Api.Response response = api.post("/v1.0/" + project + "/instances", template.formatted(marker));

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.fault()).isEqualTo(fault);
        assertThat(response.json().get(fault).get("code").asInt()).isEqualTo(status);
        assertThat(response.json().get(fault).get("message").asText()).contains(message);
        assertNothingWrittenOrCast(project, marker);
    }

    @Test
    void malformedJsonIsBadRequest() {
        String project = TestData.project();
        Api.Response response = api.post("/v1.0/" + project + "/instances", "{\"instance\": {\"name\": ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"badRequest\":{\"code\":400,\"message\":\"Malformed request body\"}}");
        assertNothingWrittenOrCast(project, null);
    }

    @Test
    void aBodyThatIsNotJsonIsBadMediaType() {
        String project = TestData.project();
        String marker = "xml-" + UUID.randomUUID();
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
            Api.Response response = api.send("POST", "/v1.0/" + project + "/instances",
                    "{\"instance\": {\"name\": \"" + marker + "\", \"flavorRef\": 2, \"volume\": {\"size\": 1}}}", type);

            assertThat(response.status()).as(type).isEqualTo(415);
            assertThat(response.fault()).isEqualTo("badMediaType");
        }
        assertNothingWrittenOrCast(project, marker);
    }

    @Test
    void anOversizeBodyIsOverLimit() {
        String project = TestData.project();
        String marker = "big-" + UUID.randomUUID();
        String body = "{\"instance\": {\"name\": \"" + marker + "\", \"flavorRef\": 2, \"volume\": {\"size\": 1}, "
                + "\"availability_zone\": \"" + "z".repeat(120 * 1024) + "\"}}";

        Api.Response response = api.post("/v1.0/" + project + "/instances", body);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("overLimit").get("message").asText()).contains("114688");
        assertNothingWrittenOrCast(project, marker);
    }

    @Test
    void anEmptyOrNonObjectBodyIsAValidationError() {
        String project = TestData.project();
        assertThat(api.post("/v1.0/" + project + "/instances", "").json().at("/badRequest/message").asText())
                .isEqualTo("Validation error: 'instance' is a required property");
        assertThat(api.post("/v1.0/" + project + "/instances", "[]").json().at("/badRequest/message").asText())
                .isEqualTo("Validation error: [] is not of type 'object'");
        assertThat(api.post("/v1.0/" + project + "/instances", "{\"instance\": 5}").json()
                .at("/badRequest/message").asText()).isEqualTo("Validation error: instance 5 is not of type 'object'");
        assertNothingWrittenOrCast(project, null);
    }

    private void assertNothingWrittenOrCast(String project, String name) {
        assertThat(count("SELECT count(*) FROM instances WHERE tenant_id = ?", project)).isZero();
        assertThat(count("SELECT count(*) FROM service_statuses s JOIN instances i ON i.id = s.instance_id "
                + "WHERE i.tenant_id = ?", project)).isZero();
        assertThat(casts.settled(c -> project.equals(c.context().projectId())
                || (name != null && name.equals(c.args().path("name").asText())))).isEmpty();
    }
}
