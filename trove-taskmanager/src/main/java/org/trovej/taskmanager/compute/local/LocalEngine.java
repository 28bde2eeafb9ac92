package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A database engine the local back end can run: which datastore managers it serves, the installations this host
 * has of it, the port its servers listen on (each on its own loopback address), and the guest configuration
 * section that places a server on this host.
 */
public interface LocalEngine {

    /** As people write it: {@code PostgreSQL}, {@code MariaDB}. */
    String displayName();

    /** The datastore managers it serves; each is registered as a datastore of that name. */
    List<String> managers();

    /** The installations found on this host (looked for once). */
    List<EngineInstallation> installations();

    /** The installation for a datastore version, by its version number, else its name. */
    Optional<EngineInstallation> forVersion(String versionNumber, String versionName);

    /** The port every server of this engine listens on. */
    int port();

    /** The OS user the servers run as when the task manager is root. */
    String runAs();

    /** Host-wide directories the guests of this engine share; called before each server is created. */
    default void prepareHost(LocalLayout layout, String databaseUser) throws IOException {
    }

    /**
     * The guest's datastore section ({@code [<manager>]}) for an instance at {@code address}.
     *
     * @param databaseUser the OS user of the database, or null when the task manager is not root (then the
     *                     guest runs it as itself)
     */
    Map<String, String> guestSection(LocalLayout layout, String instanceId, String address,
                                     EngineInstallation installation, String databaseUser);

    /** Where a running server of an instance records its pid, to stop one its killed guest left behind. */
    ServerPidFile serverPidFile(LocalLayout layout, String instanceId);

    /**
     * A server's pid file: the pid on its first line, a process whose command line contains {@code marker}, and
     * the signal of its clean shutdown.
     */
    record ServerPidFile(Path file, String marker, String stopSignal) {
    }
}
