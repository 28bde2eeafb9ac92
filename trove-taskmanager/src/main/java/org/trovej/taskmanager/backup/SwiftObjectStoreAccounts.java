package org.trovej.taskmanager.backup;

import java.net.URI;
import java.util.List;

import org.trovej.common.objectstore.SwiftAccount;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.openstack.SwiftAccounts;

/**
 * The openstack back end's object store: the cloud's Swift, in the user's account with the user's token (or the
 * service project's with the service token), as {@link SwiftAccounts} decides for every request.
 */
public class SwiftObjectStoreAccounts implements ObjectStoreAccounts {

    private final SwiftAccounts accounts;
    private final SwiftClient client = new SwiftClient();

    public SwiftObjectStoreAccounts(SwiftAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String swiftUrl(RpcContext context, String project) {
        return accounts.accountUrl(context, project);
    }

    @Override
    public RpcContext guestContext(RpcContext context, String project, String container, String backupId,
                                   List<String> readableLocations) {
        return context.with("auth_token", accounts.token(context));
    }

    @Override
    public SwiftAccount account(RpcContext context, String project, String container, String backupId) {
        return client.account(URI.create(swiftUrl(context, project)), accounts.token(context));
    }
}
