package org.trovej.taskmanager.backup;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where guests find the object store, under {@code trovej.object-store}.
 *
 * @param url the store's base URL as a guest reaches it (the account URL is {@code <url>/v1/AUTH_<project>}); unset:
 *            the API of this JVM, which serves TroveJ's local object store, at {@code http://127.0.0.1:<port>}
 *            (see {@link ObjectStoreAccounts})
 */
@ConfigurationProperties(prefix = "trovej.object-store")
public record ObjectStoreProperties(String url) {

    public ObjectStoreProperties {
        url = url == null || url.isBlank() ? null : url.replaceAll("/+$", "");
    }
}
