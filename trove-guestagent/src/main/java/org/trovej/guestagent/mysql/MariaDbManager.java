package org.trovej.guestagent.mysql;

import org.trovej.guestagent.config.GuestConfig;

/**
 * Trove's {@code mariadb} manager, also serving {@code mysql} (Debian ships MariaDB as its MySQL): the
 * datastore manager's name is the configuration section read ({@code [mariadb]} or {@code [mysql]}).
 */
public final class MariaDbManager extends MySqlManager {

    public static final String MARIADB = "mariadb";
    public static final String MYSQL = "mysql";

    MariaDbManager(GuestConfig config, MySqlSettings settings, MySqlServer server, MySqlConfigFiles files) {
        super(config, settings, server, files);
    }
}
