package org.trovej.guestagent.datastore;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

import org.trovej.guestagent.config.GuestConfig;

/**
 * Which manager serves which {@code datastore_manager} (Trove's datastore registry): the engines on the class
 * path register themselves as {@link ManagerFactory} services, so the registry names none of them.
 */
public final class ManagerRegistry {

    private ManagerRegistry() {
    }

    /** The manager for the configured {@code datastore_manager}; an unknown name is a configuration error. */
    public static DatastoreManager<?, ?, ?> create(GuestConfig config) {
        Map<String, ManagerFactory> factories = factories();
        String name = config.datastoreManager();
        ManagerFactory factory = name == null ? null : factories.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("Manager class not registered for datastore manager '" + name
                    + "' (this agent supports: " + String.join(", ", factories.keySet()) + ")");
        }
        return factory.create(config);
    }

    /** Every registered engine by the names it serves, in name order. */
    private static Map<String, ManagerFactory> factories() {
        Map<String, ManagerFactory> byName = new TreeMap<>();
        ClassLoader loader = ManagerRegistry.class.getClassLoader();
        for (ManagerFactory factory : ServiceLoader.load(ManagerFactory.class, loader)) {
            for (String name : factory.names()) {
                ManagerFactory other = byName.putIfAbsent(name, factory);
                if (other != null) {
                    throw new IllegalStateException("datastore manager '" + name + "' is registered by both "
                            + other.getClass().getName() + " and " + factory.getClass().getName());
                }
            }
        }
        return byName;
    }
}
