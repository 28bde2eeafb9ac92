package org.trovej.service.openstack;

import java.time.Duration;
import java.time.Instant;

import org.openstack4j.api.OSClient;
import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service user's Keystone session, held for the whole process and renewed before its token expires.
 * openstack4j keeps its client in a thread-local, so each call gets a client made from the shared token on the
 * calling thread ({@link #client()}) instead of authenticating per thread.
 */
public class OpenStackSession {

    private static final Logger log = LoggerFactory.getLogger(OpenStackSession.class);
    /** Renew this long before the token expires: a long call must not run into the expiry. */
    private static final Duration RENEW_AHEAD = Duration.ofMinutes(5);

    private final OpenStackProperties properties;
    private final Config config;
    private Token token;

    public OpenStackSession(OpenStackProperties properties) {
        String missing = properties.missing();
        if (missing != null) {
            throw new IllegalStateException("trovej.compute.backend=openstack needs " + missing);
        }
        this.properties = properties;
        this.config = Config.newConfig()
                .withConnectionTimeout((int) properties.connectTimeout().toMillis())
                .withReadTimeout((int) properties.readTimeout().toMillis());
    }

    /** A client for this thread, scoped to the service project and region. */
    public OSClient.OSClientV3 client() {
        OSClient.OSClientV3 client = OSFactory.clientFromToken(currentToken(), config);
        return properties.region() == null ? client : client.useRegion(properties.region());
    }

    /** The project servers, volumes and ports are created in. */
    public String projectId() {
        return currentToken().getProject().getId();
    }

    /** The token's id, for the few calls openstack4j does not model (sent as X-Auth-Token). */
    public String tokenId() {
        return currentToken().getId();
    }

    /** The catalog's public URL of a service type (e.g. {@code compute}), or null. */
    public String endpoint(String serviceType) {
        return currentToken().getCatalog().stream()
                .filter(s -> serviceType.equals(s.getType()))
                .flatMap(s -> s.getEndpoints().stream())
                .filter(e -> e.getIface() != null && "public".equals(e.getIface().value()))
                .filter(e -> properties.region() == null || properties.region().equals(e.getRegion()))
                .map(e -> e.getUrl().toString())
                .findFirst().orElse(null);
    }

    private synchronized Token currentToken() {
        if (token == null || token.getExpires() == null
                || token.getExpires().toInstant().isBefore(Instant.now().plus(RENEW_AHEAD))) {
            token = authenticate();
        }
        return token;
    }

    /** Forget the token (Keystone revoked it, a 401): the next call authenticates again. */
    public synchronized void invalidate() {
        token = null;
    }

    private Token authenticate() {
        try {
            OSClient.OSClientV3 client = OSFactory.builderV3()
                    .withConfig(config)
                    .endpoint(properties.authUrl())
                    .credentials(properties.username(), properties.password(),
                            Identifier.byName(properties.userDomain()))
                    .scopeToProject(Identifier.byName(properties.project()), Identifier.byName(properties.projectDomain()))
                    .authenticate();
            Token fresh = client.getToken();
            log.info("Authenticated to {} as {} in project {} (token until {})", properties.authUrl(),
                    properties.username(), properties.project(), fresh.getExpires());
            return fresh;
        } catch (AuthenticationException e) {
            throw new CloudException("Keystone refused the service user " + properties.username() + ": "
                    + e.getMessage(), e.getStatus(), e);
        } catch (RuntimeException e) {
            throw new CloudException("Keystone at " + properties.authUrl() + " cannot be reached: " + e.getMessage(),
                    0, e);
        }
    }
}
