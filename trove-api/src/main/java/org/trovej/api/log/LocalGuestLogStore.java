package org.trovej.api.log;

import java.util.Optional;

import org.springframework.core.env.Environment;
import org.trovej.common.objectstore.ContextObjectStore;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.objectstore.LocalStoreUrl;
import org.trovej.service.objectstore.StoreTokens;

/**
 * The local back end: the project's account in TroveJ's own object store, and a short-lived grant to
 * {@code <container>/<instance>/} only (the log objects and the metafiles Trove's layout puts there), so a guest
 * can neither read nor overwrite another instance's logs or any backup. The user reads the published logs with
 * their own credentials.
 */
public class LocalGuestLogStore implements GuestLogStore {

    private final StoreTokens tokens;
    private final Environment environment;
    private final GuestLogProperties properties;

    public LocalGuestLogStore(StoreTokens tokens, Environment environment, GuestLogProperties properties) {
        this.tokens = tokens;
        this.environment = environment;
        this.properties = properties;
    }

    @Override
    public Optional<ContextObjectStore.Endpoint> forGuest(RpcContext context, String project, String instanceId) {
        String grant = tokens.mint(project, properties.container() + "/" + instanceId + "/",
                properties.grantTtl());
        return Optional.of(new ContextObjectStore.Endpoint(LocalStoreUrl.account(environment, project), grant));
    }
}
