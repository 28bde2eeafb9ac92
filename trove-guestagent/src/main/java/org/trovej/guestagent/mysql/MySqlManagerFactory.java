package org.trovej.guestagent.mysql;

import java.util.Set;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.ManagerFactory;
import org.trovej.guestagent.os.Commands;

/**
 * Registers the MySQL family for {@code datastore_manager = mariadb} and {@code mysql}, as Trove's registry maps
 * both to it (Debian ships MariaDB as its MySQL), and wires its parts; each name reads its own section.
 */
public final class MySqlManagerFactory implements ManagerFactory {

    @Override
    public Set<String> names() {
        return Set.of(MariaDbManager.MARIADB, MariaDbManager.MYSQL);
    }

    @Override
    public DatastoreManager<?, ?, ?> create(GuestConfig config) {
        String section = MariaDbManager.MYSQL.equals(config.datastoreManager()) ? MariaDbManager.MYSQL
                : MariaDbManager.MARIADB;
        MySqlSettings settings = MySqlSettings.from(config, section);
        return new MariaDbManager(config, settings, new MySqlServer(settings, new Commands(settings.runAs())),
                new MySqlConfigFiles(settings, MySqlConfigFiles.serverIdOf(config.guestId())));
    }
}
