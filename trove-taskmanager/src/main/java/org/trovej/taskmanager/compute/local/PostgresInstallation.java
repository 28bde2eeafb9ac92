package org.trovej.taskmanager.compute.local;

import java.nio.file.Path;

/**
 * PostgreSQL binaries on this host.
 *
 * @param major   the major version (15, 16, ...): what datastore versions are matched by
 * @param version the server's own version number ({@code postgres --version}), e.g. 15.14
 * @param source  where they come from ({@code system}, {@code configured}, {@code zonky})
 */
public record PostgresInstallation(int major, String version, Path binDir, String source) {
}
