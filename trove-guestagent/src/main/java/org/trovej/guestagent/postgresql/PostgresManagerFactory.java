package org.trovej.guestagent.postgresql;

import java.util.Set;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.ManagerFactory;
import org.trovej.guestagent.os.Commands;

/** Registers the PostgreSQL engine for {@code datastore_manager = postgresql}, and wires its parts. */
public final class PostgresManagerFactory implements ManagerFactory {

    @Override
    public Set<String> names() {
        return Set.of(PostgresSettings.SECTION);
    }

    @Override
    public DatastoreManager<?, ?, ?> create(GuestConfig config) {
        PostgresSettings settings = PostgresSettings.from(config);
        return new PostgresManager(config, settings, new PostgresServer(settings, new Commands(settings.runAs())),
                new PostgresConfigFiles(settings, config.guestId()));
    }
}
