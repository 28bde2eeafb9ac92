package org.trovej.taskmanager.backup;

import java.net.URI;
import java.util.List;

import org.trovej.common.objectstore.SwiftAccount;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.openstack.OpenStackSession;

/**
 * The openstack back end's object store: the cloud's Swift, found in the Keystone catalog ({@code object-store})
 * unless {@code trovej.object-store.url} names it.
 * <p>
 * As in Trove (trove/common/clients.py {@code swift_client}, trove/taskmanager/models.py {@code create_backup}), a
 * request that carries the user's Keystone token stores the backup in the user's own account
 * ({@code AUTH_<project>}) and the guest gets that token. A request without one (the API in noauth mode) uses the
 * control plane's service session: the backup goes to the service project's account, with its token.
 */
public class SwiftObjectStoreAccounts implements ObjectStoreAccounts {

    private static final String ACCOUNT_PREFIX = "AUTH_";

    private final OpenStackSession session;
    private final ObjectStoreProperties properties;
    private final SwiftClient client = new SwiftClient();

    public SwiftObjectStoreAccounts(OpenStackSession session, ObjectStoreProperties properties) {
        this.session = session;
        this.properties = properties;
    }

    @Override
    public String swiftUrl(RpcContext context, String project) {
        String account = userToken(context) != null ? project : session.projectId();
        return accountBase() + account;
    }

    @Override
    public RpcContext guestContext(RpcContext context, String project, String container, String backupId,
                                   List<String> readableLocations) {
        return context.with("auth_token", token(context));
    }

    @Override
    public SwiftAccount account(RpcContext context, String project, String container, String backupId) {
        return client.account(URI.create(swiftUrl(context, project)), token(context));
    }

    /** {@code <store>/v1/AUTH_}: the configured URL, else the catalog's endpoint up to its account. */
    String accountBase() {
        if (properties.url() != null) {
            return properties.url() + "/v1/" + ACCOUNT_PREFIX;
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

    private String token(RpcContext context) {
        String user = userToken(context);
        return user != null ? user : session.tokenId();
    }

    /** The user's Keystone token, if the request carried one (never a grant of TroveJ's local store). */
    private static String userToken(RpcContext context) {
        String token = context == null ? null : context.text("auth_token");
        return token == null || token.isBlank() || token.startsWith("tjs1.") ? null : token;
    }
}
