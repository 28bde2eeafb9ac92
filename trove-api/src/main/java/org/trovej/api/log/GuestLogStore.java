package org.trovej.api.log;

import java.util.Optional;

import org.trovej.common.objectstore.ContextObjectStore;
import org.trovej.common.rpc.RpcContext;

/**
 * Where an instance's guest publishes its logs, and the token it may do so with: handed to the guest in the context
 * of {@code guest_log_*} calls ({@link ContextObjectStore}), as Trove hands its guest the user's token and catalog.
 * One implementation per back end: TroveJ's local object store with a grant to the instance's log objects alone
 * ({@link LocalGuestLogStore}), or the cloud's Swift with the user's token ({@link SwiftGuestLogStore}).
 */
public interface GuestLogStore {

    /**
     * The store account and token for the logs of {@code instanceId} of {@code project} under {@code context}; empty
     * when there is no object store (Trove's "Log actions are not supported.").
     */
    Optional<ContextObjectStore.Endpoint> forGuest(RpcContext context, String project, String instanceId);
}
