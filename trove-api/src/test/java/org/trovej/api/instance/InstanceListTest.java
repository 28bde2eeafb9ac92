package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** GET /instances and /instances/detail: the project's own instances, Trove's pagination and links rule. */
class InstanceListTest extends ApiIntegrationTest {

    @Test
    void pagesAreIdOrderedSlicesShownNewestFirstWithANextLinkOnlyWhenMoreRemain() {
        String project = TestData.project();
        List<String> ids = new ArrayList<>();
        LocalDateTime base = TestData.nowUtc().minusHours(1);
        for (int i = 0; i < 25; i++) {
            // creation times unrelated to the id order, to tell the two orders apart
            ids.add(new InstanceRow(project).created(base.plusSeconds((i * 7L) % 25)).insert(jdbc));
        }
        ids.sort(Comparator.naturalOrder());

        Api.Response first = api.get("/v1.0/" + project + "/instances?include_clustered=False");

        assertThat(first.status()).isEqualTo(200);
        JsonNode page = first.json();
        assertThat(page.get("instances")).hasSize(20);
        assertThat(idsOf(page)).containsExactlyInAnyOrderElementsOf(ids.subList(0, 20));
        assertThat(createdOf(page)).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(page.get("links")).hasSize(1);
        assertThat(page.at("/links/0/rel").asText()).isEqualTo("next");
        assertThat(page.at("/links/0/href").asText()).isEqualTo("https://127.0.0.1:" + port + "/v1.0/" + project
                + "/instances?include_clustered=False&marker=" + ids.get(19));

        Api.Response second = api.get("/v1.0/" + project + "/instances?include_clustered=False&marker=" + ids.get(19));

        assertThat(idsOf(second.json())).containsExactlyInAnyOrderElementsOf(ids.subList(20, 25));
        assertThat(second.json().has("links")).as("no links key on the last page").isFalse();
    }

    @Test
    void limitIsCappedAtThePageSizeAndTheMarkerIsReplacedInPlace() {
        String project = TestData.project();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            ids.add(new InstanceRow(project).insert(jdbc));
        }
        ids.sort(Comparator.naturalOrder());

        JsonNode three = api.get("/v1.0/" + project + "/instances?limit=3&marker=" + ids.get(0)).json();
        assertThat(idsOf(three)).containsExactlyInAnyOrderElementsOf(ids.subList(1, 4));
        assertThat(three.at("/links/0/href").asText()).endsWith("/instances?limit=3&marker=" + ids.get(3));

        assertThat(api.get("/v1.0/" + project + "/instances?limit=100").json().get("instances")).hasSize(20);
        assertThat(api.get("/v1.0/" + project + "/instances?limit=0").json().get("instances")).hasSize(20);
        JsonNode exact = api.get("/v1.0/" + project + "/instances?marker=" + ids.get(2)).json();
        assertThat(exact.get("instances")).hasSize(20);
        assertThat(exact.has("links")).as("exactly a full last page: nothing remains").isFalse();
        assertThat(api.get("/v1.0/" + project + "/instances?limit=x").fault()).isEqualTo("badRequest");
    }

    @Test
    void anEmptyProjectHasAnEmptyListAndNoLinks() {
        Api.Response response = api.get("/v1.0/" + TestData.project() + "/instances");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"instances\":[]}");
    }

    @Test
    void aProjectSeesOnlyItsOwnInstancesAdminsIncluded() {
        String mine = TestData.project();
        String theirs = TestData.project();
        String own = new InstanceRow(mine).insert(jdbc);
        new InstanceRow(theirs).insert(jdbc);
        jdbc.update("UPDATE instances SET deleted = true, deleted_at = now() WHERE id = ?",
                new InstanceRow(mine).insert(jdbc));

        assertThat(idsOf(api.get("/v1.0/" + mine + "/instances").json())).containsExactly(own);
        assertThat(idsOf(api.get("/v1.0/" + mine + "/instances", AS_ADMIN).json())).containsExactly(own);
    }

    @Test
    void clusterMembersAreListedOnlyWhenAskedFor() {
        String project = TestData.project();
        String plain = new InstanceRow(project).insert(jdbc);
        String member = new InstanceRow(project).insert(jdbc);
        String cluster = java.util.UUID.randomUUID().toString();
        jdbc.update("INSERT INTO clusters (id, name, tenant_id, task_id, datastore_version_id, created, updated) "
                + "VALUES (?, 'c', ?, 1, ?, now(), now())", cluster, project, TestData.PG16);
        jdbc.update("UPDATE instances SET cluster_id = ? WHERE id = ?", cluster, member);

        assertThat(idsOf(api.get("/v1.0/" + project + "/instances").json())).containsExactly(plain);
        assertThat(idsOf(api.get("/v1.0/" + project + "/instances?include_clustered=true").json()))
                .containsExactlyInAnyOrder(plain, member);
    }

    @Test
    void summaryItemsCarryWhatTheClientsShowWithoutAnExtraRequest() {
        String project = TestData.project();
        String id = new InstanceRow(project).flavor("d2").volume(4)
                .addresses("[{\"address\": \"127.0.3.4\", \"type\": \"private\", \"network\": \"local\"}]")
                .insert(jdbc);

        JsonNode item = api.get("/v1.0/" + project + "/instances").json().get("instances").get(0);

        assertThat(item.get("id").asText()).isEqualTo(id);
        assertThat(item.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(item.get("operating_status").asText()).isEqualTo("HEALTHY");
        assertThat(item.get("flavor").get("id").asText()).isEqualTo("d2");
        assertThat(item.get("datastore").toString()).isEqualTo("{\"type\":\"postgresql\",\"version\":\"16\"}");
        assertThat(item.get("volume").toString()).isEqualTo("{\"size\":4}");
        assertThat(item.get("region").asText()).isEqualTo("RegionOne");
        assertThat(item.get("ip").toString()).isEqualTo("[\"127.0.3.4\"]");
        assertThat(item.get("addresses").get(0).get("type").asText()).isEqualTo("private");
        assertThat(item.get("access").toString()).isEqualTo("{\"is_public\":false}");
        assertThat(item.has("created")).as("summary only").isFalse();
        assertThat(item.has("tenant_id")).isFalse();

        JsonNode asAdmin = api.get("/v1.0/" + project + "/instances", AS_ADMIN).json().get("instances").get(0);
        assertThat(asAdmin.get("tenant_id").asText()).isEqualTo(project);
    }

    @Test
    void theDetailListHasTheDetailKeys() {
        String project = TestData.project();
        String id = new InstanceRow(project).insert(jdbc);
        jdbc.update("INSERT INTO instance_faults (id, instance_id, message, details, created, updated, deleted) "
                + "VALUES (?, ?, 'it broke', 'trace', now(), now(), false)", java.util.UUID.randomUUID().toString(), id);

        JsonNode item = api.get("/v1.0/" + project + "/instances/detail").json().get("instances").get(0);

        assertThat(item.get("id").asText()).isEqualTo(id);
        assertThat(item.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(item.has("updated")).isTrue();
        assertThat(item.has("service_status_updated")).isTrue();
        assertThat(item.get("datastore").get("version_number").asText()).isEqualTo("16.4");
        assertThat(item.get("fault").get("message").asText()).isEqualTo("it broke");
        assertThat(item.get("fault").get("details").isNull()).isTrue();
    }

    @Test
    void showHasTheVolumeUsedTheGuestLastReportedAndTheSummaryListDoesNot() {
        String project = TestData.project();
        String id = new InstanceRow(project).volume(2).insert(jdbc);
        JsonNode before = api.get("/v1.0/" + project + "/instances/" + id).json().get("instance");
        assertThat(before.get("volume").toString()).as("nothing reported yet").isEqualTo("{\"size\":2}");

        // written by the conductor from the heartbeat's payload
        jdbc.update("UPDATE service_statuses SET volume_used = 0.37 WHERE instance_id = ?", id);

        JsonNode shown = api.get("/v1.0/" + project + "/instances/" + id).json().get("instance");
        assertThat(shown.get("volume").toString()).isEqualTo("{\"size\":2,\"used\":0.37}");
        JsonNode item = api.get("/v1.0/" + project + "/instances").json().get("instances").get(0);
        assertThat(item.get("volume").toString()).isEqualTo("{\"size\":2}");
    }

    private static List<String> idsOf(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("instances").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private List<String> createdOf(JsonNode list) {
        List<String> created = new ArrayList<>();
        list.get("instances").forEach(i -> created.add(jdbc.queryForObject(
                "SELECT to_char(created, 'YYYY-MM-DD HH24:MI:SS.US') FROM instances WHERE id = ?", String.class,
                i.get("id").asText())));
        return created;
    }
}
