package org.trovej.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;

/** Quotas at create, resize and delete: 413 with Trove's message and nothing written, and never exceeded. */
class QuotaEnforcementTest extends ApiIntegrationTest {

    private final String project = TestData.project();

    private Api.Response create(String name, int size) {
        return api.post("/v1.0/" + project + "/instances", """
                {"instance": {"name": "%s", "flavorRef": "2", "volume": {"size": %d},
                  "datastore": {"type": "postgresql", "version": "16"}}}""".formatted(name, size));
    }

    private void setQuotas(String json) {
        assertThat(api.put("/v1.0/admin-project/mgmt/quotas/" + project, "{\"quotas\": " + json + "}", AS_ADMIN)
                .status()).isEqualTo(200);
    }

    private Map<String, Object> usage(String resource) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT in_use, reserved FROM quota_usages "
                + "WHERE tenant_id = ? AND resource = ?", project, resource);
        return rows.isEmpty() ? Map.of("in_use", 0, "reserved", 0) : rows.get(0);
    }

    private int instances() {
        return count("SELECT count(*) FROM instances WHERE tenant_id = ? AND deleted = false", project);
    }

    /** What the build would leave: ACTIVE and HEALTHY, so actions are allowed. */
    private void becomeActive(String id) {
        jdbc.update("UPDATE instances SET task_id = 1, server_status = 'ACTIVE' WHERE id = ?", id);
        jdbc.update("UPDATE service_statuses SET status_id = 33, status_description = 'healthy', updated_at = ? "
                + "WHERE instance_id = ?", TestData.nowUtc(), id);
    }

    @Test
    void createsCountInstancesRamAndVolumesAndTheOneOverTheLimitIsRefusedWithNothingWritten() {
        setQuotas("{\"instances\": 2}");
        Api.Response first = create("q1", 2);
        Api.Response second = create("q2", 3);
        Api.Response third = create("q3", 1);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(third.status()).isEqualTo(413);
        assertThat(third.json().toString()).isEqualTo(
                "{\"overLimit\":{\"code\":413,\"message\":\"Quota exceeded for resources: ['instances'].\"}}");
        assertThat(instances()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM instances WHERE tenant_id = ? AND name = 'q3'", project)).isZero();
        assertThat(usage("instances")).containsEntry("in_use", 2).containsEntry("reserved", 0);
        assertThat(usage("volumes")).containsEntry("in_use", 5).containsEntry("reserved", 0);
        assertThat(usage("ram")).containsEntry("in_use", 2 * 2048).containsEntry("reserved", 0);
        casts.await("create_instance", second.json().at("/instance/id").asText());
        assertThat(casts.settled(c -> "create_instance".equals(c.method())
                && c.args().toString().contains("\"q3\""))).isEmpty();
    }

    @Test
    void volumesAreCountedInGigabytes() {
        setQuotas("{\"volumes\": 5}");
        assertThat(create("v1", 3).status()).isEqualTo(200);
        Api.Response refused = create("v2", 3);

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().at("/overLimit/message").asText())
                .isEqualTo("Quota exceeded for resources: ['volumes'].");
        assertThat(create("v3", 2).status()).isEqualTo(200);
        assertThat(usage("volumes")).containsEntry("in_use", 5);
    }

    @Test
    void twentyConcurrentCreatesAgainstAQuotaOfFiveAcceptExactlyFive() throws Exception {
        setQuotas("{\"instances\": 5}");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                String name = "c" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return new Api(port).post("/v1.0/" + project + "/instances", """
                            {"instance": {"name": "%s", "flavorRef": "1", "volume": {"size": 1}}}"""
                            .formatted(name)).status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(5);
            assertThat(statuses).filteredOn(s -> s == 413).hasSize(15);
        } finally {
            pool.shutdownNow();
        }
        assertThat(instances()).isEqualTo(5);
        assertThat(usage("instances")).containsEntry("in_use", 5).containsEntry("reserved", 0);
        assertThat(usage("volumes")).containsEntry("in_use", 5).containsEntry("reserved", 0);
        assertThat(count("SELECT count(*) FROM reservations r JOIN quota_usages u ON u.id = r.usage_id "
                + "WHERE u.tenant_id = ? AND u.resource = 'instances' AND r.status = 'Committed'", project))
                .isEqualTo(5);
        assertThat(count("SELECT count(*) FROM reservations r JOIN quota_usages u ON u.id = r.usage_id "
                + "WHERE u.tenant_id = ? AND r.status = 'Reserved'", project)).isZero();
    }

    @Test
    void deleteFreesWhatTheInstanceUsedOnce() {
        setQuotas("{\"instances\": 1}");
        String id = create("d1", 2).json().at("/instance/id").asText();
        becomeActive(id);
        assertThat(create("d2", 1).status()).isEqualTo(413);

        assertThat(api.delete("/v1.0/" + project + "/instances/" + id).status()).isEqualTo(202);
        assertThat(api.delete("/v1.0/" + project + "/instances/" + id).status()).as("again, while deleting")
                .isEqualTo(202);

        assertThat(usage("instances")).containsEntry("in_use", 0).containsEntry("reserved", 0);
        assertThat(usage("volumes")).containsEntry("in_use", 0);
        assertThat(usage("ram")).containsEntry("in_use", 0);
        assertThat(create("d3", 1).status()).isEqualTo(200);
        assertThat(usage("instances")).containsEntry("in_use", 1);
    }

    @Test
    void aVolumeResizeCountsItsGrowthAndIsRefusedOverTheLimitWithTheInstanceUntouched() {
        setQuotas("{\"volumes\": 6}");
        String id = create("r1", 2).json().at("/instance/id").asText();
        becomeActive(id);
        String action = "/v1.0/" + project + "/instances/" + id + "/action";

        assertThat(api.post(action, "{\"resize\": {\"volume\": {\"size\": 5}}}").status()).isEqualTo(202);
        assertThat(usage("volumes")).containsEntry("in_use", 5).containsEntry("reserved", 0);
        assertThat(casts.await("resize_volume", id).args().get("new_size").asInt()).isEqualTo(5);

        jdbc.update("UPDATE instances SET task_id = 1, volume_size = 5 WHERE id = ?", id);
        Api.Response refused = api.post(action, "{\"resize\": {\"volume\": {\"size\": 8}}}");
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().at("/overLimit/message").asText())
                .isEqualTo("Quota exceeded for resources: ['volumes'].");
        assertThat(jdbc.queryForObject("SELECT task_id FROM instances WHERE id = ?", Integer.class, id)).isEqualTo(1);
        assertThat(usage("volumes")).containsEntry("in_use", 5).containsEntry("reserved", 0);
    }

    @Test
    void aFlavorResizeCountsTheRamDifference() {
        setQuotas("{\"ram\": 5000}");
        String id = create("f1", 1).json().at("/instance/id").asText();
        becomeActive(id);
        String action = "/v1.0/" + project + "/instances/" + id + "/action";

        Api.Response refused = api.post(action, "{\"resize\": {\"flavorRef\": \"4\"}}");
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().at("/overLimit/message").asText()).isEqualTo("Quota exceeded for resources: ['ram'].");
        assertThat(jdbc.queryForObject("SELECT task_id FROM instances WHERE id = ?", Integer.class, id)).isEqualTo(1);

        assertThat(api.post(action, "{\"resize\": {\"flavorRef\": \"3\"}}").status()).isEqualTo(202);
        assertThat(usage("ram")).containsEntry("in_use", 4096).containsEntry("reserved", 0);
        casts.await("resize_flavor", id);
    }

    @Test
    void aVolumeBeyondMaxAcceptedVolumeSizeIsRefusedBeforeQuotas() {
        Api.Response refused = create("big", 11);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().at("/overLimit/message").asText())
                .isEqualTo("Volume 'size' cannot exceed maximum of 10 GB, 11 cannot be accepted.");
        assertThat(usage("volumes")).containsEntry("in_use", 0).containsEntry("reserved", 0);
    }
}
