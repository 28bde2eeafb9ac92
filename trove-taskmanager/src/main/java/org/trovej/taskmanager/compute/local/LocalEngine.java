package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.trovej.common.configuration.ParameterRule;

/**
 * A database engine the local back end can run: its {@link EngineProfile} (which datastore managers it serves,
 * the port its servers listen on, ...), the installations this host has of it, and the guest configuration
 * section that places a server on this host.
 */
public interface LocalEngine {

    /** Its name, managers, port, OS user and templates. */
    EngineProfile profile();

    /** As people write it: {@code PostgreSQL}, {@code MariaDB}. */
    default String displayName() {
        return profile().displayName();
    }

    /** The datastore managers it serves; each is registered as a datastore of that name. */
    default List<String> managers() {
        return profile().managers();
    }

    /** The installations found on this host (looked for once). */
    List<EngineInstallation> installations();

    /** The installation for a datastore version, by its version number, else its name. */
    Optional<EngineInstallation> forVersion(String versionNumber, String versionName);

    /**
     * The configuration parameters of an installation for which TroveJ ships no catalogue, as the installation
     * itself describes them without a server running; none when it cannot.
     */
    default List<ParameterRule> parameters(EngineInstallation installation) {
        return List.of();
    }

    /** The port every server of this engine listens on. */
    default int port() {
        return profile().port();
    }

    /** The OS user the servers run as when the task manager is root. */
    default String runAs() {
        return profile().runAs();
    }

    /** Pristine data directories the guests of this engine copy instead of initialising their own. */
    default Path templatesDir(LocalLayout layout) {
        return layout.stateDir().resolve(profile().templatesName());
    }

    /**
     * Host-wide directories the guests of this engine share (their templates, for the database's user alone);
     * called before each server is created.
     */
    default void prepareHost(LocalLayout layout, String databaseUser) throws IOException {
        Path templates = templatesDir(layout);
        if (!Files.isDirectory(templates)) {
            Files.createDirectories(templates);
            Files.setPosixFilePermissions(templates, PosixFilePermissions.fromString("rwx------"));
            if (databaseUser != null) {
                HostUsers.requireReachable(templates, databaseUser);
                HostUsers.chown(templates, databaseUser);
            }
        }
    }

    /**
     * The guest's datastore section ({@code [<manager>]}) for an instance at {@code address}: the address, port and
     * data directory every engine has, the engine's own {@link #serverSection}, and the templates.
     *
     * @param databaseUser the OS user of the database, or null when the task manager is not root (then the
     *                     guest runs it as itself)
     */
    default Map<String, String> guestSection(LocalLayout layout, String instanceId, String address,
                                             EngineInstallation installation, String databaseUser) {
        Map<String, String> section = new LinkedHashMap<>();
        section.put("bind_host", address);
        section.put("port", Integer.toString(port()));
        section.put("data_dir", layout.volumeDir(instanceId).toString());
        section.putAll(serverSection(layout, instanceId, installation, databaseUser));
        // TroveJ: the first guest of a server version on this host initialises a template, every new instance
        // copies it
        section.put("template_dir", templatesDir(layout).toString());
        return section;
    }

    /** The engine's own keys of the guest's section, in order: its programs, the OS user, its socket. */
    Map<String, String> serverSection(LocalLayout layout, String instanceId, EngineInstallation installation,
                                      String databaseUser);

    /** Where a running server of an instance records its pid, to stop one its killed guest left behind. */
    ServerPidFile serverPidFile(LocalLayout layout, String instanceId);

    /**
     * A server's pid file: the pid on its first line, a process whose command line contains {@code marker}, and
     * the signal of its clean shutdown.
     */
    record ServerPidFile(Path file, String marker, String stopSignal) {
    }
}
