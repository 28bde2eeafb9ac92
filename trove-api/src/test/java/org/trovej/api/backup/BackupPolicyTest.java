package org.trovej.api.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.BackupRow;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * Every backup endpoint asks the policy by Trove's rule name: an operator can close each one. (A colon in a
 * property key is escaped, as in a properties file.)
 */
@TestPropertySource(properties = {
        "trovej.policy.rules[backup\\:create]=role:admin",
        "trovej.policy.rules[backup\\:index]=role:admin",
        "trovej.policy.rules[backup\\:show]=role:admin",
        "trovej.policy.rules[backup\\:delete]=role:admin",
        "trovej.policy.rules[instance\\:backups]=role:admin",
        "trovej.policy.rules[backup_strategy\\:create]=role:admin",
        "trovej.policy.rules[backup_strategy\\:index]=role:admin",
        "trovej.policy.rules[backup_strategy\\:delete]=role:admin"})
class BackupPolicyTest extends ApiIntegrationTest {

    private final String project = TestData.project();

    @Test
    void eachRuleRefusesWith403AndNothingIsWrittenOrCast() {
        String base = "/v1.0/" + project;
        String instance = new InstanceRow(project).insert(jdbc);
        String backup = new BackupRow(project).instance(instance).insert(jdbc);

        assertForbidden(api.post(base + "/backups", "{\"backup\": {\"name\": \"b\", \"instance\": \"" + instance
                + "\"}}"), "backup:create");
        assertForbidden(api.get(base + "/backups"), "backup:index");
        assertForbidden(api.get(base + "/backups/" + backup), "backup:show");
        assertForbidden(api.delete(base + "/backups/" + backup), "backup:delete");
        assertForbidden(api.get(base + "/instances/" + instance + "/backups"), "instance:backups");
        assertForbidden(api.post(base + "/backup_strategies", "{\"backup_strategy\": {\"swift_container\": \"c\"}}"),
                "backup_strategy:create");
        assertForbidden(api.get(base + "/backup_strategies"), "backup_strategy:index");
        assertForbidden(api.delete(base + "/backup_strategies"), "backup_strategy:delete");

        assertThat(count("SELECT count(*) FROM backups WHERE tenant_id = ?", project)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM backup_strategy WHERE tenant_id = ?", project)).isZero();
        assertThat(count("SELECT count(*) FROM quota_usages WHERE tenant_id = ?", project)).isZero();
        assertThat(casts.settled(c -> project.equals(c.context().projectId()))).isEmpty();

        assertThat(api.get(base + "/backups/" + backup, AS_ADMIN).status()).isEqualTo(200);
        assertThat(api.get(base + "/instances/" + instance + "/backups", AS_ADMIN).status()).isEqualTo(200);
    }

    private static void assertForbidden(Api.Response response, String rule) {
        assertThat(response.status()).as(rule).isEqualTo(403);
        assertThat(response.json().toString()).isEqualTo("{\"forbidden\":{\"code\":403,\"message\":\"Policy doesn't "
                + "allow " + rule + " to be performed.\"}}");
    }
}
