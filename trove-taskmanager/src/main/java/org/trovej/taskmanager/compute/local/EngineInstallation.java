package org.trovej.taskmanager.compute.local;

import java.nio.file.Path;

/**
 * One database engine's binaries on this host, as a datastore version offers them.
 *
 * @param versionName the datastore version's name: PostgreSQL's major version ({@code 15}), MariaDB's
 *                    major.minor ({@code 10.11})
 * @param version     the server's own full version ({@code 15.14}, {@code 10.11.14}): the datastore version's number
 * @param location    what the guest is pointed at: PostgreSQL's {@code bin} directory, MariaDB's server program
 * @param source      where they come from ({@code system}, {@code configured}, {@code zonky})
 */
public record EngineInstallation(String versionName, String version, Path location, String source) {
}
