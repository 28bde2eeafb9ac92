package org.trovej.api.objectstore;

import jakarta.servlet.http.HttpServletRequest;
import org.trovej.api.auth.AuthStrategy;
import org.trovej.service.objectstore.StoreTokens;

/**
 * Who may use a store account. Swift always wants {@code X-Auth-Token}: none is a 401. A token of
 * {@link StoreTokens}' form is judged by its grant alone (401 when it is not intact or has expired, 403 outside
 * its project and prefix); any other token is the API's own business, handed to the same {@link AuthStrategy}
 * that guards {@code /v1.0/{project}} (Keystone: a valid token of this project; noauth: accepted, as the Trove
 * API accepts any caller there), and then acts for the whole account.
 */
public class StoreAccess {

    private static final String TOKEN_HEADER = "X-Auth-Token";
    static final String STORE_TOKEN_PREFIX = "tjs1.";

    private final StoreTokens tokens;
    private final AuthStrategy strategy;

    public StoreAccess(StoreTokens tokens, AuthStrategy strategy) {
        this.tokens = tokens;
        this.strategy = strategy;
    }

    StoreCaller caller(HttpServletRequest request, String project) {
        String token = request.getHeader(TOKEN_HEADER);
        if (token == null || token.isBlank()) {
            throw new StoreException(401, "Unauthorized: this server could not verify that you are authorized "
                    + "to access the document you requested.");
        }
        token = token.trim();
        if (token.startsWith(STORE_TOKEN_PREFIX)) {
            return tokens.verify(token).map(grant -> new StoreCaller(project, grant))
                    .orElseThrow(() -> new StoreException(401, "Unauthorized: the store token is not valid or has "
                            + "expired."));
        }
        // refusals (Keystone's 401, the tenant check's 403, 503) are AuthFailures, written as the API writes them
        strategy.authenticate(request, project);
        return StoreCaller.owner(project);
    }

    /** A 403 unless the caller may read the object. */
    static void requireRead(StoreCaller caller, String container, String object) {
        if (!caller.allowsRead(container, object)) {
            throw new StoreException(403, "Forbidden: the token does not grant access to this object.");
        }
    }

    /** A 403 unless the caller may act on the container ({@code object} null) or on the object. */
    static void require(StoreCaller caller, String container, String object) {
        if (!caller.allows(container, object)) {
            throw new StoreException(403, "Forbidden: the token does not grant access to this "
                    + (object == null ? "container" : "object") + ".");
        }
    }
}
