package org.trovej.taskmanager.compute.local;

import java.util.List;

/**
 * What the local back end knows an engine by.
 *
 * @param displayName   as people write it: {@code PostgreSQL}, {@code MariaDB}
 * @param managers      the datastore managers it serves; each is registered as a datastore of that name
 * @param port          the port every server of the engine listens on (each on its own loopback address)
 * @param runAs         the OS user the servers run as when the task manager is root
 * @param templatesName the directory, in the state directory, of the pristine data directories the engine's
 *                      guests copy instead of initialising their own (the first guest of a version makes one)
 */
public record EngineProfile(String displayName, List<String> managers, int port, String runAs,
                            String templatesName) {

    public EngineProfile {
        managers = List.copyOf(managers);
    }
}
