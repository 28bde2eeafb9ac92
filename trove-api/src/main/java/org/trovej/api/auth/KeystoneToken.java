package org.trovej.api.auth;

import java.time.Instant;
import java.util.List;

/**
 * What Keystone says about a valid token: its project (null for an unscoped, domain- or system-scoped token), its
 * user, its roles (implied roles already expanded) and when it expires.
 */
public record KeystoneToken(String projectId, String userId, String userName, List<String> roles,
                            Instant expiresAt) {

    public KeystoneToken {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
