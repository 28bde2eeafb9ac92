package org.trovej.api.auth;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keystone tokens, as Trove's pipeline checks them: keystonemiddleware validates {@code X-Auth-Token} (401 with
 * {@code WWW-Authenticate} when it is missing or Keystone does not accept it, 503 when Keystone cannot be asked),
 * then Trove's tenant check requires the path's project to be the token's (403), then the token's roles decide
 * whether the caller is an admin ({@code context_is_admin}).
 */
public class KeystoneAuthStrategy implements AuthStrategy {

    private static final Logger log = LoggerFactory.getLogger(KeystoneAuthStrategy.class);

    private final KeystoneTokenValidator validator;
    private final Policy policy;
    private final String challengeUri;

    public KeystoneAuthStrategy(KeystoneTokenValidator validator, Policy policy, String challengeUri) {
        this.validator = validator;
        this.policy = policy;
        this.challengeUri = challengeUri;
    }

    /** The validations and their cache (for tests and diagnostics). */
    public KeystoneTokenValidator validator() {
        return validator;
    }

    @Override
    public AuthContext authenticate(HttpServletRequest request, String projectId) {
        KeystoneToken caller = validated(request);
        if (caller.projectId() == null || !caller.projectId().equals(projectId)) {
            throw AuthFailure.tenantMismatch(request, caller.projectId());
        }
        return context(caller, request);
    }

    @Override
    public AuthContext authenticate(HttpServletRequest request) {
        KeystoneToken caller = validated(request);
        if (caller.projectId() == null) {
            // an unscoped or domain-scoped token acts in no project: as the tenant check says for one
            throw AuthFailure.tenantMismatch(request, null);
        }
        return context(caller, request);
    }

    private KeystoneToken validated(HttpServletRequest request) {
        String token = request.getHeader("X-Auth-Token");
        if (token == null || token.isBlank()) {
            throw AuthFailure.unauthorized(challengeUri);
        }
        Optional<KeystoneToken> validated;
        try {
            validated = validator.validate(token.trim());
        } catch (KeystoneUnavailableException e) {
            log.error("Unable to validate token: {}", e.getMessage());
            throw AuthFailure.keystoneUnavailable(request);
        }
        return validated.orElseThrow(() -> AuthFailure.unauthorized(challengeUri));
    }

    private AuthContext context(KeystoneToken caller, HttpServletRequest request) {
        boolean admin = policy.isAdmin(caller.projectId(), caller.userId(), caller.roles());
        return new AuthContext(caller.projectId(), caller.userId(), caller.roles(), admin,
                request.getHeader("X-Auth-Token").trim());
    }
}
