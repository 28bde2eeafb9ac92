package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.trovej.service.quota.QuotaService;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** Instances and backups from before quotas were tracked are counted once, and tracked usage is left alone. */
class QuotaUsageSeederTest extends ApiIntegrationTest {

    @Autowired
    QuotaUsageSeeder seeder;
    @Autowired
    QuotaService quotas;

    private int inUse(String project, String resource) {
        return quotas.usages(project).stream().filter(u -> u.resource().equals(resource)).findFirst().orElseThrow()
                .inUse();
    }

    @Test
    void existingRecordsAreCountedOnceAndTrackedUsageIsKept() {
        String old = TestData.project();
        new InstanceRow(old).flavor("2").volume(3).insert(jdbc);
        new InstanceRow(old).flavor("1").volume(1).insert(jdbc);
        String gone = new InstanceRow(old).flavor("2").volume(5).insert(jdbc);
        jdbc.update("UPDATE instances SET deleted = true WHERE id = ?", gone);
        jdbc.update("INSERT INTO backups (id, name, tenant_id, state, deleted, created, updated) "
                + "VALUES (gen_random_uuid()::text, 'b', ?, 'COMPLETED', false, now(), now())", old);
        String tracked = TestData.project();
        new InstanceRow(tracked).insert(jdbc);
        quotas.release(tracked, java.util.Map.of("instances", 0, "ram", 0, "volumes", 0));

        seeder.seed();
        seeder.seed();

        assertThat(inUse(old, "instances")).isEqualTo(2);
        assertThat(inUse(old, "ram")).isEqualTo(2048 + 512);
        assertThat(inUse(old, "volumes")).isEqualTo(4);
        assertThat(inUse(old, "backups")).isEqualTo(1);
        assertThat(inUse(tracked, "instances")).as("already tracked: untouched").isZero();
    }
}
