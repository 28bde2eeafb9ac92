package org.trovej.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trovej.api.error.ApiException;

/** The oslo.policy expression language and Trove's defaults. */
class PolicyTest {

    private static final PolicyExpression.Credentials MEMBER =
            new PolicyExpression.Credentials("p1", "u1", List.of("member", "reader"), false);
    private static final PolicyExpression.Credentials ADMIN =
            new PolicyExpression.Credentials("p9", "u9", List.of("Admin", "member"), true);

    private static boolean check(String rule, PolicyExpression.Credentials creds, String tenant) {
        Map<String, String> rules = Map.of("yes", "@", "no", "!", "owner", "project_id:%(tenant)s");
        return PolicyExpression.parse(rule).check(new PolicyExpression.Request(creds,
                tenant == null ? Map.of() : Map.of("tenant", tenant),
                name -> rules.containsKey(name) && PolicyExpression.parse(rules.get(name))
                        .check(new PolicyExpression.Request(creds, tenant == null ? Map.of() : Map.of("tenant", tenant),
                                n -> false))));
    }

    @Test
    void emptyAndAlwaysAndNever() {
        assertThat(check("", MEMBER, "p1")).isTrue();
        assertThat(check("   ", MEMBER, "p1")).isTrue();
        assertThat(check("@", MEMBER, "p1")).isTrue();
        assertThat(check("!", ADMIN, "p1")).isFalse();
    }

    @Test
    void rolesAreComparedWithoutCase() {
        assertThat(check("role:admin", ADMIN, null)).isTrue();
        assertThat(check("role:ADMIN", ADMIN, null)).isTrue();
        assertThat(check("role:admin", MEMBER, null)).isFalse();
        assertThat(check("role:reader", MEMBER, null)).isTrue();
    }

    @Test
    void genericChecksSubstituteTheTarget() {
        assertThat(check("project_id:%(tenant)s", MEMBER, "p1")).isTrue();
        assertThat(check("project_id:%(tenant)s", MEMBER, "p2")).isFalse();
        assertThat(check("project_id:%(tenant)s", MEMBER, null)).isFalse(); // missing target key
        assertThat(check("user_id:u1", MEMBER, null)).isTrue();
        assertThat(check("is_admin:True", ADMIN, null)).isTrue();
        assertThat(check("is_admin:True", MEMBER, null)).isFalse();
        assertThat(check("is_admin:False", MEMBER, null)).isTrue();
        assertThat(check("nosuchfield:x", MEMBER, null)).isFalse();
    }

    @Test
    void rulesNotAndOrAndPrecedence() {
        assertThat(check("rule:yes", MEMBER, null)).isTrue();
        assertThat(check("rule:no", MEMBER, null)).isFalse();
        assertThat(check("rule:owner", MEMBER, "p1")).isTrue();
        assertThat(check("not rule:no", MEMBER, null)).isTrue();
        assertThat(check("not not rule:no", MEMBER, null)).isFalse();
        assertThat(check("role:admin or project_id:%(tenant)s", MEMBER, "p1")).isTrue();
        assertThat(check("role:admin or project_id:%(tenant)s", MEMBER, "p2")).isFalse();
        assertThat(check("role:member and project_id:%(tenant)s", MEMBER, "p1")).isTrue();
        assertThat(check("role:member and project_id:%(tenant)s", MEMBER, "p2")).isFalse();
        // "and" binds tighter than "or"
        assertThat(check("@ or ! and !", MEMBER, null)).isTrue();
        assertThat(check("(@ or !) and !", MEMBER, null)).isFalse();
        assertThat(check("((role:member)) and (project_id:%(tenant)s or role:admin)", MEMBER, "p1")).isTrue();
        assertThat(check("(role:admin or (role:member and not project_id:%(tenant)s))", MEMBER, "p2")).isTrue();
        assertThat(check("role:member AND NOT rule:yes", MEMBER, null)).isFalse();
    }

    @Test
    void malformedRulesAreRefused() {
        for (String bad : List.of("role:admin or", "(role:admin", "role:admin)", "and role:admin", "admin",
                "role:", "not", "@ @")) {
            assertThatThrownBy(() -> PolicyExpression.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy rule");
        }
    }

    @Test
    void trovesDefaults() {
        Policy policy = new Policy();
        AuthContext member = new AuthContext("p1", "u1", List.of("member"), false);
        AuthContext admin = new AuthContext("p9", "u9", List.of("admin"), true);

        assertThat(policy.isAdmin("p1", "u1", List.of("member", "reader"))).isFalse();
        assertThat(policy.isAdmin("p9", "u9", List.of("Admin"))).isTrue();
        assertThat(policy.check(member, "instance:show", "p1")).isTrue();
        assertThat(policy.check(member, "instance:show", "p2")).isFalse();
        assertThat(policy.check(admin, "instance:show", "p2")).isTrue();
        assertThat(policy.check(member, "instance:reset_status", "p1")).isFalse();
        assertThat(policy.check(admin, "instance:reset_status", "p1")).isTrue();
        assertThat(policy.check(member, "instance:force_delete", "p1")).isTrue();
        assertThat(policy.check(member, "datastore:index", "p1")).isTrue();
        assertThat(policy.check(member, "flavor:show", "p2")).isTrue();
        assertThat(policy.check(member, "datastore:delete", "p1")).isFalse();
        assertThat(policy.check(member, "backup:index:all_projects", "p1")).isFalse();
        assertThat(policy.check(member, "instance:extension:user:create", "p1")).isTrue();
        // an unregistered rule is judged by "default" (admin_or_owner)
        assertThat(policy.check(member, "mgmt:something:new", "p1")).isTrue();
        assertThat(policy.check(member, "mgmt:something:new", "p2")).isFalse();
        assertThatThrownBy(() -> policy.enforce(member, "instance:reset_status", "p1"))
                .isInstanceOf(ApiException.class).hasMessage("Policy doesn't allow instance:reset_status to be performed.")
                .extracting("status").isEqualTo(403);
    }

    @Test
    void operatorsOverrideRulesByPropertyAndFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                # Trove's policy.yaml format
                "instance:reset_status": "rule:admin_or_owner"
                "instance:delete": "role:admin"
                "context_is_admin": "role:admin or role:cloud-admin"
                """);
        Policy policy = new Policy(new PolicyProperties(file.toString(),
                Map.of("instance:delete", "rule:admin or (role:deleter and project_id:%(tenant)s)")));
        AuthContext member = new AuthContext("p1", "u1", List.of("member"), false);
        AuthContext deleter = new AuthContext("p1", "u2", List.of("member", "deleter"), false);

        assertThat(policy.check(member, "instance:reset_status", "p1")).isTrue();
        assertThat(policy.check(member, "instance:delete", "p1")).isFalse(); // the property wins over the file
        assertThat(policy.check(deleter, "instance:delete", "p1")).isTrue();
        assertThat(policy.check(deleter, "instance:delete", "p2")).isFalse();
        assertThat(policy.isAdmin("p1", "u3", List.of("cloud-admin"))).isTrue();
        assertThat(policy.describe("instance:delete")).isEqualTo("(rule:admin or (role:deleter and project_id:%(tenant)s))");
    }

    @Test
    void aRuleNamingAnUndefinedRuleStopsTheStartUp() {
        assertThatThrownBy(() -> new Policy(new PolicyProperties(null, Map.of("instance:show", "rule:nope"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rule:nope");
        assertThatThrownBy(() -> new Policy(new PolicyProperties(null, Map.of("instance:show", "role:admin or"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
