package org.trovej.api.auth;

import java.util.List;

import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;

/**
 * Who is calling: the project the request acts in, the user (if known), the roles, and whether the caller is an
 * admin (Trove's {@code context_is_admin}: role {@code admin}).
 */
public record AuthContext(String projectId, String userId, List<String> roles, boolean admin) {

    public AuthContext {
        if (projectId == null || projectId.isEmpty()) {
            throw new IllegalArgumentException("a request context needs a project");
        }
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** The context of the casts made for this request; it carries the request's id so logs line up. */
    public RpcContext toRpcContext(String requestId) {
        RpcContext context = RpcContext.user(userId, projectId, admin).with("request_id", requestId);
        var roleArray = PythonJson.array();
        roles.forEach(roleArray::add);
        return context.with("roles", roleArray);
    }
}
