package org.trovej.api.auth;

import java.util.List;

import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;

/**
 * Who is calling: the project the request acts in, the user (if known), the roles, and whether the caller is an
 * admin (Trove's {@code context_is_admin}: role {@code admin}).
 */
public record AuthContext(String projectId, String userId, List<String> roles, boolean admin, String token) {

    public AuthContext {
        if (projectId == null || projectId.isEmpty()) {
            throw new IllegalArgumentException("a request context needs a project");
        }
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** A caller without a Keystone token (noauth, or a service). */
    public AuthContext(String projectId, String userId, List<String> roles, boolean admin) {
        this(projectId, userId, roles, admin, null);
    }

    /** Never the token: records print every component. */
    @Override
    public String toString() {
        return "AuthContext[projectId=" + projectId + ", userId=" + userId + ", roles=" + roles + ", admin=" + admin
                + "]";
    }

    /**
     * The context of the casts made for this request; it carries the request's id so logs line up, and the
     * caller's Keystone token as Trove's does (the openstack back end's Swift is reached with it).
     */
    public RpcContext toRpcContext(String requestId) {
        RpcContext context = RpcContext.user(userId, projectId, admin).with("request_id", requestId);
        if (token != null) {
            context = context.with("auth_token", token);
        }
        var roleArray = PythonJson.array();
        roles.forEach(roleArray::add);
        return context.with("roles", roleArray);
    }
}
