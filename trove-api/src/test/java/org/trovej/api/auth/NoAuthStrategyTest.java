package org.trovej.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.trovej.api.error.ApiException;

class NoAuthStrategyTest {

    private final NoAuthStrategy strategy = new NoAuthStrategy(new Policy());

    @Test
    void theCallerIsWhatTheRequestSays() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("X-User-Id", "u1");
        request.addHeader("X-Roles", "member, Admin ,reader");

        AuthContext context = strategy.authenticate(request, "p1");

        assertThat(context).isEqualTo(new AuthContext("p1", "u1", List.of("member", "Admin", "reader"), true));
        assertThat(context.toRpcContext("req-1").requestId()).isEqualTo("req-1");
        assertThat(context.toRpcContext("req-1").get("roles").toString()).isEqualTo("[\"member\",\"Admin\",\"reader\"]");
    }

    @Test
    void withoutHeadersTheCallerIsAnAnonymousMemberOfThePathsProject() {
        AuthContext context = strategy.authenticate(new MockHttpServletRequest(), "p2");

        assertThat(context.admin()).isFalse();
        assertThat(context.userId()).isNull();
        assertThat(context.roles()).isEmpty();
        assertThat(context.projectId()).isEqualTo("p2");
    }

    @Test
    void anUnknownStrategyStopsTheStartUp() {
        assertThat(new AuthProperties(null).strategy()).isEqualTo("keystone");
        assertThat(new AuthProperties("noauth").strategy()).isEqualTo("noauth");
        assertThatThrownBy(() -> new AuthProperties("kerberos")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kerberos");
    }

    @Test
    void policyLetsOwnersAndAdminsThroughExceptForAdminRules() {
        Policy policy = new Policy();
        AuthContext owner = new AuthContext("p1", null, List.of(), false);
        AuthContext admin = new AuthContext("p9", null, List.of("admin"), true);

        policy.authorize(owner, "instance:restart", "p1");
        policy.authorize(admin, "instance:reset_status", "p1");
        assertThatThrownBy(() -> policy.authorize(owner, "instance:reset_status", "p1"))
                .isInstanceOf(ApiException.class).extracting("status").isEqualTo(403);
        assertThatThrownBy(() -> policy.authorize(owner, "instance:restart", "p2"))
                .isInstanceOf(ApiException.class).hasMessage("Policy doesn't allow instance:restart to be performed.");
    }
}
