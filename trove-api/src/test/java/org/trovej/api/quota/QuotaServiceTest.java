package org.trovej.api.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.trovej.service.quota.QuotaRefused;
import org.trovej.service.quota.QuotaService;
import org.trovej.service.quota.QuotaUsage;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;

/** The engine as other features (backups) call it: runWithQuotas, release, unknown resources. */
class QuotaServiceTest extends ApiIntegrationTest {

    @Autowired
    QuotaService quotas;

    private final String project = TestData.project();

    private QuotaUsage usage(String resource) {
        return quotas.usages(project).stream().filter(u -> u.resource().equals(resource)).findFirst().orElseThrow();
    }

    @Test
    void runWithQuotasCommitsWhatSucceedsAndRollsBackWhatThrows() {
        quotas.update(project, Map.of("backups", 2));

        assertThat(quotas.runWithQuotas(project, Map.of("backups", 1), () -> "made")).isEqualTo("made");
        assertThatThrownBy(() -> quotas.runWithQuotas(project, Map.of("backups", 1), () -> {
            throw new IllegalStateException("swift is down");
        })).hasMessage("swift is down");
        assertThat(usage("backups")).isEqualTo(new QuotaUsage("backups", 1, 0, 2));

        quotas.runWithQuotas(project, Map.of("backups", 1), () -> null);
        assertThatThrownBy(() -> quotas.runWithQuotas(project, Map.of("backups", 1), () -> null))
                .isInstanceOfSatisfying(QuotaRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).isEqualTo("Quota exceeded for resources: ['backups'].");
                });

        quotas.release(project, Map.of("backups", 1));
        assertThat(usage("backups")).isEqualTo(new QuotaUsage("backups", 1, 0, 2));
    }

    @Test
    void unlimitedAndUnknownResources() {
        quotas.update(project, Map.of("ram", -1));
        quotas.runWithQuotas(project, Map.of("ram", 1_000_000), () -> null);
        assertThat(usage("ram").inUse()).isEqualTo(1_000_000);

        assertThatThrownBy(() -> quotas.reserve(project, Map.of("cores", 1)))
                .isInstanceOfSatisfying(QuotaRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("Unknown quota resources ['cores'].");
                });
        quotas.release(project, Map.of("instances", 1));
        assertThat(usage("instances").inUse()).as("never below zero").isZero();
    }
}
