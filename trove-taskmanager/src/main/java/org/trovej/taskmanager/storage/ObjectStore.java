package org.trovej.taskmanager.storage;

import java.util.List;
import java.util.Optional;

/**
 * Where backups are kept (Swift on OpenStack). Objects are small enough to be handled whole by the task
 * manager (manifests, checksums); the guest streams the backups themselves.
 */
public interface ObjectStore {

    /** Creates the container when it does not exist. */
    void ensureContainer(String container);

    /** Stores the object; answers its ETag (the MD5 of the content, as Swift computes it). */
    String put(String container, String name, byte[] content);

    Optional<byte[]> get(String container, String name);

    List<String> list(String container, String prefix);

    /** Deleting an object that does not exist is not an error. */
    void delete(String container, String name);
}
