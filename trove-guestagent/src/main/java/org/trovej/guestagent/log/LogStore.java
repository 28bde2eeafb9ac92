package org.trovej.guestagent.log;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.trovej.common.rpc.RpcContext;

/**
 * Where published logs go: an object store account, reached with what the request's context carries. The
 * production store speaks Swift's API ({@link SwiftLogStore}); tests plug in a directory. Failures are
 * runtime exceptions carrying the store's message.
 */
public interface LogStore {

    /** Creates the container unless it exists. */
    void ensureContainer(String container);

    /** The object's bytes, empty when there is no such object. */
    Optional<byte[]> read(String container, String object);

    /**
     * Stores {@code body} as {@code object}, with {@code metadata} ({@code X-Object-Meta-<name>}), to be deleted by
     * the store after {@code deleteAfterSeconds} ({@code X-Delete-After}).
     */
    void put(String container, String object, byte[] body, Map<String, String> metadata, long deleteAfterSeconds);

    /** The names of the container's objects starting with {@code prefix}; none when the container is absent. */
    List<String> list(String container, String prefix);

    /** Deletes the object; one that is not there is no error. */
    void delete(String container, String object);

    /** Opens the store of a request; fails (Trove's BadRequest) when the context names none. */
    @FunctionalInterface
    interface Factory {
        LogStore open(RpcContext context);
    }
}
