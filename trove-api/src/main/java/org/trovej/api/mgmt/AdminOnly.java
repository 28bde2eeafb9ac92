package org.trovej.api.mgmt;

import org.trovej.api.auth.AuthContext;
import org.trovej.api.error.ApiException;

/**
 * Trove's hard-coded {@code admin_context} check of the management API: not a policy rule, and a refusal is
 * Trove's {@code Forbidden} exception, which its fault mapping turns into 401 {@code unauthorized}.
 */
public final class AdminOnly {

    private AdminOnly() {
    }

    public static void require(AuthContext caller) {
        if (!caller.admin()) {
            throw ApiException.unauthorized("User does not have admin privileges.");
        }
    }
}
