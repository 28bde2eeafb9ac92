package org.trovej.taskmanager.compute.local;

import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.datastore.VersionNumbers;
import org.trovej.taskmanager.datastore.DatastoreRecords;

/**
 * Makes what this host can run visible through the API: for every engine's datastore managers
 * ({@code postgresql}; {@code mariadb} and {@code mysql}) a datastore of that name, with one active version per
 * installation found (PostgreSQL: name {@code 15}, version {@code 15.14}; MariaDB: name {@code 10.11}, version
 * {@code 10.11.14}; manager = the datastore's name), the newest as default when the datastore has none. Idempotent
 * and additive: rows that exist are kept as they are (an operator may have changed them), new binaries add a
 * version. Each version boots the local back end's one image ({@link LocalImage}, what a management rebuild names).
 * Each version gets its configuration parameters (when it has none): TroveJ's catalogue for it, else
 * what the installation itself says ({@link LocalEngine#parameters}).
 */
public class LocalDatastoreRegistrar {

    private static final Logger log = LoggerFactory.getLogger(LocalDatastoreRegistrar.class);

    private final DatastoreRecords datastores;
    private final LocalEngines engines;

    public LocalDatastoreRegistrar(DatastoreRecords datastores, LocalEngines engines) {
        this.datastores = datastores;
        this.engines = engines;
    }

    public void register() {
        for (LocalEngine engine : engines.all()) {
            List<EngineInstallation> found = engine.installations();
            if (found.isEmpty()) {
                continue;
            }
            for (String manager : engine.managers()) {
                register(engine, manager, found);
            }
        }
    }

    private void register(LocalEngine engine, String datastore, List<EngineInstallation> found) {
        List<EngineInstallation> oldestFirst = found.stream()
                .sorted(Comparator.comparing(EngineInstallation::versionName, VersionNumbers::compare))
                .toList();
        List<DatastoreRecords.NewVersion> added = datastores.register(datastore, oldestFirst.stream()
                .map(i -> new DatastoreRecords.NewVersion(i.versionName(), i.version(), datastore,
                        () -> engine.parameters(i), LocalImage.ID)).toList());
        for (EngineInstallation installation : oldestFirst) {
            if (added.stream().anyMatch(v -> v.name().equals(installation.versionName()))) {
                log.info("Registered datastore version {} {} ({})", datastore, installation.versionName(),
                        installation.location());
            }
        }
    }
}
