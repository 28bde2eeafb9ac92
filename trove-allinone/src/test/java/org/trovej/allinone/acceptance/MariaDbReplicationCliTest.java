package org.trovej.allinone.acceptance;

import static org.trovej.allinone.acceptance.DatabaseClients.mariadb;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtendWith;
import org.trovej.taskmanager.compute.local.LocalLayout;

/** {@link ReplicationCliScenario} on MariaDB: GTID replication, rows read with Debian's {@code mariadb}. */
@ExtendWith(SharedAllInOne.class)
class MariaDbReplicationCliTest extends ReplicationCliScenario {

    @Override
    String datastore() {
        return "mariadb";
    }

    @Override
    String project() {
        return "mariadb-replication";
    }

    @Override
    void insert(String address, int from, int to) {
        mariadb(address, "CREATE TABLE IF NOT EXISTS items (n int PRIMARY KEY) ENGINE=InnoDB; "
                + "INSERT INTO items SELECT seq FROM seq_" + from + "_to_" + to);
    }

    @Override
    int count(String address) {
        return Integer.parseInt(mariadb(address, "SELECT count(*) FROM items"));
    }

    @Override
    DatabaseClients.Outcome tryWrite(String address) {
        return DatabaseClients.mariadbAs(address, DatabaseClients.APP, "INSERT INTO items VALUES (-1)");
    }

    @Override
    Path serverPidFile(LocalLayout layout, String instanceId) {
        return layout.volumeDir(instanceId).resolve("mariadbd.pid");
    }
}
