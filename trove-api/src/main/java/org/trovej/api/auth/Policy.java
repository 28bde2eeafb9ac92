package org.trovej.api.auth;

import java.util.Set;

import org.springframework.stereotype.Component;
import org.trovej.api.error.ApiException;

/**
 * Trove's default policy (oslo.policy defaults in trove/common/policies): a few rules are admin-only, the rest
 * are {@code admin_or_owner} with the resource's project as target (the caller's own project for collections).
 * A refusal is Trove's PolicyNotAuthorized: 403.
 */
@Component
public class Policy {

    static final Set<String> ADMIN_ONLY = Set.of("instance:reset_status");

    public void authorize(AuthContext caller, String rule, String ownerProject) {
        if (caller.admin()) {
            return;
        }
        if (ADMIN_ONLY.contains(rule) || !caller.projectId().equals(ownerProject)) {
            throw ApiException.forbidden("Policy doesn't allow " + rule + " to be performed.");
        }
    }
}
