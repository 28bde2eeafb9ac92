package org.trovej.service.openstack;

import org.trovej.common.rpc.RpcContext;

/**
 * Which Swift account a request's objects go to, and with which token, on the openstack back end: the cloud's Swift,
 * found in the Keystone catalog ({@code object-store}) unless {@code trovej.object-store.url} names it.
 * <p>
 * As in Trove (trove/common/clients.py {@code swift_client}; trove/taskmanager/models.py {@code create_backup};
 * trove/guestagent/guest_log.py), a request that carries the user's Keystone token uses the user's own account
 * ({@code AUTH_<project>}) with that token. A request without one (the API in noauth mode) uses the control plane's
 * service session: the service project's account, with its token. Shared by backups (task manager) and guest logs
 * (API).
 */
public class SwiftAccounts {

    private static final String ACCOUNT_PREFIX = "AUTH_";
    /** The prefix of TroveJ's own local-store grants, never a Keystone token. */
    private static final String STORE_GRANT_PREFIX = "tjs1.";

    private final OpenStackSession session;
    private final String configuredUrl;

    /** @param configuredUrl {@code trovej.object-store.url} (the store's base, without {@code /v1}), or null */
    public SwiftAccounts(OpenStackSession session, String configuredUrl) {
        this.session = session;
        this.configuredUrl = configuredUrl == null || configuredUrl.isBlank() ? null
                : configuredUrl.replaceAll("/+$", "");
    }

    /** Whether there is a Swift to use: configured, or in the catalog. */
    public boolean available() {
        return configuredUrl != null || session.endpoint("object-store") != null;
    }

    /** The account URL ({@code .../v1/AUTH_<account>}) objects of {@code project} go to under {@code context}. */
    public String accountUrl(RpcContext context, String project) {
        String account = userToken(context) != null ? project : session.projectId();
        return accountBase() + account;
    }

    /** The token those requests carry: the user's, else the service session's. */
    public String token(RpcContext context) {
        String user = userToken(context);
        return user != null ? user : session.tokenId();
    }

    /** {@code <store>/v1/AUTH_}: the configured URL, else the catalog's endpoint up to its account. */
    String accountBase() {
        if (configuredUrl != null) {
            return configuredUrl + "/v1/" + ACCOUNT_PREFIX;
        }
        String endpoint = session.endpoint("object-store");
        if (endpoint == null) {
            throw new IllegalStateException("the Keystone catalog has no public object-store endpoint; set "
                    + "trovej.object-store.url");
        }
        int account = endpoint.lastIndexOf(ACCOUNT_PREFIX);
        if (account < 0) {
            throw new IllegalStateException("the catalog's object-store endpoint " + endpoint + " names no account");
        }
        return endpoint.substring(0, account + ACCOUNT_PREFIX.length());
    }

    /** The user's Keystone token, if the request carried one (never a grant of TroveJ's local store). */
    private static String userToken(RpcContext context) {
        String token = context == null ? null : context.text("auth_token");
        return token == null || token.isBlank() || token.startsWith(STORE_GRANT_PREFIX) ? null : token;
    }
}
