package org.trovej.api.log;

import java.util.Optional;

import org.trovej.common.objectstore.ContextObjectStore;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.openstack.SwiftAccounts;

/**
 * The openstack back end: the cloud's Swift, in the user's account with the user's Keystone token as in Trove
 * (trove/guestagent/guest_log.py reaches Swift with the request's context), or the service project's account when
 * the API runs without Keystone. No Swift in the catalog: no guest logs (403, as Trove).
 */
public class SwiftGuestLogStore implements GuestLogStore {

    private final SwiftAccounts accounts;

    public SwiftGuestLogStore(SwiftAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public Optional<ContextObjectStore.Endpoint> forGuest(RpcContext context, String project, String instanceId) {
        if (!accounts.available()) {
            return Optional.empty();
        }
        return Optional.of(new ContextObjectStore.Endpoint(accounts.accountUrl(context, project),
                accounts.token(context)));
    }
}
