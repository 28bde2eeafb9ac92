package org.trovej.guestagent.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.trovej.common.objectstore.ContextObjectStore;
import org.trovej.common.objectstore.SwiftAccount;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.common.objectstore.SwiftException;
import org.trovej.guestagent.datastore.GuestErrors;

/**
 * The object store a request's context names (its service catalog's {@code object-store} endpoint and its
 * {@code auth_token}), as Trove's guest finds Swift for its logs.
 */
public final class SwiftLogStore implements LogStore {

    private final SwiftAccount account;

    public SwiftLogStore(SwiftAccount account) {
        this.account = account;
    }

    /** Opens the context's store in {@code region} (null: any); a context without one is a BadRequest. */
    public static LogStore.Factory fromContext(SwiftClient client, String region) {
        return context -> ContextObjectStore.of(context, region)
                .map(endpoint -> (LogStore) new SwiftLogStore(client.account(URI.create(endpoint.accountUrl()),
                        endpoint.token())))
                .orElseThrow(() -> GuestErrors.badRequest("The request names no object store (no object-store "
                        + "endpoint in its service catalog): guest logs cannot be read or published."));
    }

    @Override
    public void ensureContainer(String container) {
        account.ensureContainer(container);
    }

    @Override
    public Optional<byte[]> read(String container, String object) {
        try (InputStream in = account.get(container, object)) {
            return Optional.of(in.readAllBytes());
        } catch (SwiftException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + container + "/" + object + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String container, String object, byte[] body, Map<String, String> metadata,
                    long deleteAfterSeconds) {
        account.put(container, object, body, metadata, Map.of("X-Delete-After", Long.toString(deleteAfterSeconds)));
    }

    @Override
    public List<String> list(String container, String prefix) {
        return account.list(container, prefix);
    }

    @Override
    public void delete(String container, String object) {
        account.delete(container, object);
    }
}
