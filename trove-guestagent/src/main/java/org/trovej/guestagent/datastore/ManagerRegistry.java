package org.trovej.guestagent.datastore;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.mariadb.MariaDbManager;
import org.trovej.guestagent.postgresql.PostgresManager;

/**
 * Which manager serves which {@code datastore_manager} (Trove's datastore registry). {@code mysql} is served by
 * the MariaDB manager, as Trove's registry maps both to the MySQL family (Debian ships MariaDB as its MySQL).
 */
public final class ManagerRegistry {

    private static final Map<String, Function<GuestConfig, DatastoreManager>> MANAGERS = new TreeMap<>(Map.of(
            "postgresql", PostgresManager::new,
            MariaDbManager.MARIADB, MariaDbManager::new,
            MariaDbManager.MYSQL, MariaDbManager::new));

    private ManagerRegistry() {
    }

    /** The manager for the configured {@code datastore_manager}; an unknown name is a configuration error. */
    public static DatastoreManager create(GuestConfig config) {
        String name = config.datastoreManager();
        Function<GuestConfig, DatastoreManager> factory = name == null ? null : MANAGERS.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("Manager class not registered for datastore manager '" + name
                    + "' (this agent supports: " + String.join(", ", MANAGERS.keySet()) + ")");
        }
        return factory.apply(config);
    }
}
