package org.trovej.guestagent.mariadb;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.mysql.MySqlManager;

/**
 * Trove's {@code mariadb} manager, also serving {@code mysql} (Debian ships MariaDB as its MySQL): the
 * datastore manager's name is the configuration section read ({@code [mariadb]} or {@code [mysql]}).
 */
public final class MariaDbManager extends MySqlManager {

    public static final String MARIADB = "mariadb";
    public static final String MYSQL = "mysql";

    public MariaDbManager(GuestConfig config) {
        super(config, MYSQL.equals(config.datastoreManager()) ? MYSQL : MARIADB);
    }
}
