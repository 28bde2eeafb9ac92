package org.trovej.guestagent.datastore;

import java.util.Set;

import org.trovej.guestagent.config.GuestConfig;

/**
 * An engine's entry in {@link ManagerRegistry}. Each engine package has one, named in
 * {@code META-INF/services/org.trovej.guestagent.datastore.ManagerFactory} (the {@link java.util.ServiceLoader}
 * list): adding an engine adds a line there, and nothing outside its package names its classes.
 */
public interface ManagerFactory {

    /** The {@code datastore_manager} names the engine serves. */
    Set<String> names();

    /** The manager for {@code config}, whose {@code datastore_manager} is one of {@link #names()}. */
    DatastoreManager<?, ?, ?> create(GuestConfig config);
}
