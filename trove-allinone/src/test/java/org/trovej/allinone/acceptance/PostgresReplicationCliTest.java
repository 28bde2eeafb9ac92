package org.trovej.allinone.acceptance;

import static org.trovej.allinone.acceptance.DatabaseClients.psql;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtendWith;
import org.trovej.taskmanager.compute.local.LocalLayout;

/** {@link ReplicationCliScenario} on PostgreSQL: streaming replication, rows read with Debian's {@code psql}. */
@ExtendWith(SharedAllInOne.class)
class PostgresReplicationCliTest extends ReplicationCliScenario {

    @Override
    String datastore() {
        return "postgresql";
    }

    @Override
    String project() {
        return "pg-replication";
    }

    @Override
    void insert(String address, int from, int to) {
        psql(address, "CREATE TABLE IF NOT EXISTS items (n int PRIMARY KEY); "
                + "INSERT INTO items SELECT generate_series(" + from + ", " + to + ")");
    }

    @Override
    int count(String address) {
        return Integer.parseInt(psql(address, "SELECT count(*) FROM items"));
    }

    @Override
    DatabaseClients.Outcome tryWrite(String address) {
        return DatabaseClients.psqlAs(address, DatabaseClients.APP, "INSERT INTO items VALUES (-1)");
    }

    @Override
    Path serverPidFile(LocalLayout layout, String instanceId) {
        return layout.pgData(instanceId).resolve("postmaster.pid");
    }
}
