package org.trovej.api.objectstore;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The local object store's settings under {@code trovej.object-store.local} (environment:
 * TROVEJ_OBJECT_STORE_LOCAL_DIR).
 *
 * @param dir where objects are kept; default {@code <trovej.state-dir>/objects}
 */
@ConfigurationProperties(prefix = "trovej.object-store.local")
public record ObjectStoreProperties(Path dir) {
}
