package org.trovej.api.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** The Nova v2.1 subset TroveJ serves on the local back end (noauth: project and roles from the headers). */
class ComputeApiTest extends ApiIntegrationTest {

    private static final String V = "/compute/v2.1";

    private Api.Response get(String path, String project, String... more) {
        List<String> headers = new ArrayList<>(List.of("X-Project-Id", project));
        headers.addAll(List.of(more));
        return api.get(V + path, headers.toArray(String[]::new));
    }

    private String serverId(String instanceId) {
        return jdbc.queryForObject("SELECT compute_instance_id FROM instances WHERE id = ?", String.class,
                instanceId);
    }

    @Test
    void versionDocumentsAreOpenAndSayTwoPointOne() {
        Api.Response root = api.get("/compute/");
        Api.Response current = api.get(V);

        assertThat(root.status()).isEqualTo(200);
        assertThat(root.json().at("/versions/0/id").asText()).isEqualTo("v2.1");
        assertThat(current.status()).isEqualTo(200);
        JsonNode version = current.json().get("version");
        assertThat(version.get("version").asText()).isEqualTo("2.1");
        assertThat(version.get("min_version").asText()).isEqualTo("2.1");
        assertThat(version.at("/links/0/href").asText()).isEqualTo("http://127.0.0.1:" + port + "/compute/v2.1/");
        assertThat(current.header("OpenStack-API-Version")).isEqualTo("compute 2.1");
        assertThat(current.header("X-OpenStack-Nova-API-Version")).isEqualTo("2.1");
    }

    @Test
    void aNewerMicroversionIsNotAcceptable() {
        Api.Response refused = get("/flavors", "p", "OpenStack-API-Version", "compute 2.60");
        Api.Response latest = get("/flavors", "p", "X-OpenStack-Nova-API-Version", "latest");

        assertThat(refused.status()).isEqualTo(406);
        assertThat(refused.json().at("/computeFault/code").asInt()).isEqualTo(406);
        assertThat(latest.status()).isEqualTo(200);
    }

    @Test
    void withoutAProjectTheCallerIsUnauthorized() {
        assertThat(api.get(V + "/flavors").status()).isEqualTo(401);
    }

    @Test
    void flavorsInNovasShapes() {
        JsonNode list = get("/flavors", "p").json().get("flavors");
        JsonNode detail = get("/flavors/detail", "p").json().get("flavors");
        JsonNode shown = get("/flavors/2", "p").json().get("flavor");

        assertThat(list).isNotEmpty();
        assertThat(list.get(0).fieldNames()).toIterable().containsExactly("id", "name", "links");
        assertThat(detail).hasSameSizeAs(list);
        assertThat(shown.get("name").asText()).isEqualTo("m1.small");
        assertThat(shown.get("ram").asInt()).isEqualTo(2048);
        assertThat(shown.get("vcpus").asInt()).isEqualTo(1);
        assertThat(shown.get("disk").asInt()).isEqualTo(20);
        assertThat(shown.get("OS-FLV-EXT-DATA:ephemeral").asInt()).isZero();
        assertThat(shown.get("os-flavor-access:is_public").asBoolean()).isTrue();
        assertThat(shown.get("swap").asText()).isEmpty();
        assertThat(shown.at("/links/0/href").asText()).endsWith("/compute/v2.1/flavors/2");
        assertThat(get("/flavors/2/os-extra_specs", "p").json().get("extra_specs").size()).isZero();
        assertThat(get("/flavors/detail?minRam=4096", "p").json().get("flavors"))
                .allSatisfy(f -> assertThat(f.get("ram").asInt()).isGreaterThanOrEqualTo(4096));

        Api.Response missing = get("/flavors/nope", "p");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/itemNotFound/code").asInt()).isEqualTo(404);
        assertThat(missing.json().at("/itemNotFound/message").asText()).isEqualTo("Flavor nope could not be found.");
    }

    @Test
    void oneAvailableZoneAndItsHostForAdmins() {
        JsonNode zones = get("/os-availability-zone", "p").json().get("availabilityZoneInfo");

        assertThat(zones).hasSize(1);
        assertThat(zones.at("/0/zoneName").asText()).isEqualTo("nova");
        assertThat(zones.at("/0/zoneState/available").asBoolean()).isTrue();
        assertThat(zones.at("/0/hosts").isNull()).isTrue();
        assertThat(get("/os-availability-zone/detail", "p").status()).isEqualTo(403);
        JsonNode detail = get("/os-availability-zone/detail", "p", AS_ADMIN).json().get("availabilityZoneInfo");
        assertThat(detail.at("/0/hosts").size()).isEqualTo(1);
    }

    @Test
    void limitsCountTheProjectsServers() {
        String project = TestData.project();
        new InstanceRow(project).flavor("3").insert(jdbc);
        new InstanceRow(project).flavor("2").insert(jdbc);

        JsonNode absolute = get("/limits", project).json().at("/limits/absolute");

        assertThat(absolute.get("totalInstancesUsed").asInt()).isEqualTo(2);
        assertThat(absolute.get("totalCoresUsed").asInt()).isEqualTo(3);
        assertThat(absolute.get("totalRAMUsed").asInt()).isEqualTo(4096 + 2048);
        assertThat(absolute.get("maxTotalInstances").asInt()).isEqualTo(-1);
    }

    @Test
    void usageCountsEachServersHoursWithinThePeriod() {
        String project = TestData.project();
        LocalDateTime end = LocalDateTime.of(2026, 3, 2, 0, 0);
        // m1.medium: 2 vCPUs, 4096 MB, 40 GB; lived through the whole day
        new InstanceRow(project).name("whole-day").flavor("3").server("ACTIVE").created(end.minusDays(3))
                .insert(jdbc);
        // m1.small, deleted six hours into the day
        String gone = new InstanceRow(project).name("six-hours").flavor("2").server("ACTIVE")
                .created(end.minusDays(2)).insert(jdbc);
        jdbc.update("UPDATE instances SET deleted = true, deleted_at = ? WHERE id = ?", end.minusHours(18), gone);
        // created after the period: not counted
        new InstanceRow(project).name("later").flavor("2").server("ACTIVE").created(end.plusHours(1)).insert(jdbc);

        Api.Response shown = get("/os-simple-tenant-usage/" + project
                + "?start=2026-03-01T00:00:00&end=2026-03-02T00:00:00+00:00", project);

        assertThat(shown.status()).isEqualTo(200);
        JsonNode usage = shown.json().get("tenant_usage");
        assertThat(usage.get("total_hours").asDouble()).isEqualTo(30.0);
        assertThat(usage.get("total_vcpus_usage").asDouble()).isEqualTo(2 * 24 + 6.0);
        assertThat(usage.get("total_memory_mb_usage").asDouble()).isEqualTo(4096 * 24 + 2048 * 6.0);
        assertThat(usage.get("start").asText()).isEqualTo("2026-03-01T00:00");
        assertThat(usage.get("server_usages")).extracting(u -> u.get("name").asText())
                .containsExactly("whole-day", "six-hours");
        assertThat(usage.at("/server_usages/1/state").asText()).isEqualTo("terminated");
        assertThat(usage.at("/server_usages/0/flavor").asText()).isEqualTo("m1.medium");
    }

    @Test
    void usageOfAnotherProjectIsForAdminsAndBadTimesAreRefused() {
        String project = TestData.project();
        new InstanceRow(project).flavor("2").server("ACTIVE").insert(jdbc);

        Api.Response other = get("/os-simple-tenant-usage/" + project, "someone-else");
        Api.Response admin = get("/os-simple-tenant-usage?detailed=1&start=2000-01-01T00:00:00", "ops", AS_ADMIN);
        Api.Response listed = get("/os-simple-tenant-usage", "someone-else");
        Api.Response badTime = get("/os-simple-tenant-usage/" + project + "?start=yesterday", project);
        Api.Response reversed = get("/os-simple-tenant-usage/" + project
                + "?start=2026-03-02T00:00:00&end=2026-03-01T00:00:00", project);
        Api.Response empty = get("/os-simple-tenant-usage/" + TestData.project(), "ops", AS_ADMIN);

        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().at("/forbidden/code").asInt()).isEqualTo(403);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().get("tenant_usages")).anySatisfy(u ->
                assertThat(u.get("tenant_id").asText()).isEqualTo(project));
        assertThat(listed.status()).isEqualTo(403);
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.json().at("/badRequest/message").asText()).startsWith("Invalid start time.");
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(empty.json().get("tenant_usage").size()).isZero();
    }

    @Test
    void serversOfTheCallersProjectWithFlavorAndAddresses() {
        String project = TestData.project();
        String id = new InstanceRow(project).name("db-one").flavor("3").server("ACTIVE")
                .addresses("[{\"address\": \"127.0.10.5\", \"type\": \"private\", \"network\": \"local\"}]")
                .insert(jdbc);
        new InstanceRow(TestData.project()).name("elsewhere").insert(jdbc);
        String server = serverId(id);

        JsonNode listed = get("/servers", project).json().get("servers");
        JsonNode detailed = get("/servers/detail", project).json().get("servers");
        JsonNode shown = get("/servers/" + server, project).json().get("server");

        assertThat(listed).hasSize(1);
        assertThat(listed.at("/0/id").asText()).isEqualTo(server);
        assertThat(listed.at("/0/name").asText()).isEqualTo("db-one");
        assertThat(listed.get(0).fieldNames()).toIterable().containsExactly("id", "links", "name");
        assertThat(detailed).hasSize(1);
        assertThat(detailed.get(0)).isEqualTo(shown);
        assertThat(shown.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(shown.get("tenant_id").asText()).isEqualTo(project);
        assertThat(shown.at("/flavor/id").asText()).isEqualTo("3");
        assertThat(shown.at("/flavor/links/0/href").asText()).endsWith("/compute/flavors/3");
        assertThat(shown.at("/addresses/local/0/addr").asText()).isEqualTo("127.0.10.5");
        assertThat(shown.at("/addresses/local/0/version").asInt()).isEqualTo(4);
        assertThat(shown.at("/addresses/local/0/OS-EXT-IPS:type").asText()).isEqualTo("fixed");
        assertThat(shown.get("OS-EXT-AZ:availability_zone").asText()).isEqualTo("nova");
        assertThat(shown.get("metadata").size()).isZero();
        assertThat(shown.get("created").asText()).endsWith("Z");
        assertThat(shown.get("hostId").asText()).hasSize(56);
        assertThat(shown.get("OS-EXT-STS:power_state").asInt()).isEqualTo(1);
    }

    @Test
    void anotherProjectsServerIsNotFound() {
        String server = serverId(new InstanceRow(TestData.project()).insert(jdbc));

        Api.Response refused = get("/servers/" + server, TestData.project());

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.json().at("/itemNotFound/message").asText())
                .isEqualTo("Instance " + server + " could not be found.");
        assertThat(get("/servers/" + server, "admin", AS_ADMIN).status()).isEqualTo(200);
    }

    @Test
    void allTenantsIsForAdminsAndFiltersByName() {
        String name = "resized-" + TestData.project();
        String first = serverId(new InstanceRow(TestData.project()).name(name).flavor("3").insert(jdbc));
        new InstanceRow(TestData.project()).name("other-" + name + "-x").insert(jdbc);

        Api.Response refused = get("/servers/detail?all_tenants=True", "p");
        JsonNode all = get("/servers/detail?all_tenants=True&name=%5E" + name + "%24", "admin", AS_ADMIN).json()
                .get("servers");
        JsonNode own = get("/servers/detail?name=" + name, "admin", AS_ADMIN).json().get("servers");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/forbidden/message").asText())
                .contains("os_compute_api:servers:detail:get_all_tenants");
        assertThat(all).hasSize(1);
        assertThat(all.at("/0/id").asText()).isEqualTo(first);
        assertThat(all.at("/0/flavor/id").asText()).isEqualTo("3");
        assertThat(own).isEmpty();
        assertThat(get("/servers?all_tenants=maybe", "admin", AS_ADMIN).status()).isEqualTo(400);
    }
}
