package org.trovej.taskmanager.datastore;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The task manager's one way to {@code datastores} and {@code datastore_versions}: registering what a compute
 * back end can run. Additive only: rows that exist are kept as they are (an operator may have changed them).
 */
@Component
public class DatastoreRecords {

    /** A version to offer: its name, its number ({@code version}) and the manager that runs it. */
    public record NewVersion(String name, String version, String manager) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public DatastoreRecords(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * In one transaction: the datastore called {@code datastore} (created if there is none), each of
     * {@code versions} it has no version of that name of yet (active), and the last of them as its default if it
     * has none.
     *
     * @return the versions added
     */
    public List<NewVersion> register(String datastore, List<NewVersion> versions) {
        return tx.execute(status -> {
            jdbc.update("INSERT INTO datastores (id, name) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                    UUID.randomUUID().toString(), datastore);
            String datastoreId = jdbc.queryForObject("SELECT id FROM datastores WHERE name = ?", String.class,
                    datastore);
            List<NewVersion> added = new ArrayList<>();
            String newest = null;
            for (NewVersion version : versions) {
                if (jdbc.update("""
                        INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active)
                        SELECT ?, ?, ?, ?, ?, true
                         WHERE NOT EXISTS (SELECT 1 FROM datastore_versions WHERE datastore_id = ? AND name = ?)
                        ON CONFLICT ON CONSTRAINT datastore_versions_ds_name_version_uq DO NOTHING
                        """, UUID.randomUUID().toString(), datastoreId, version.name(), version.version(),
                        version.manager(), datastoreId, version.name()) > 0) {
                    added.add(version);
                }
                newest = jdbc.queryForObject("SELECT id FROM datastore_versions WHERE datastore_id = ? AND name = ? "
                        + "ORDER BY version DESC LIMIT 1", String.class, datastoreId, version.name());
            }
            jdbc.update("UPDATE datastores SET default_version_id = ? WHERE id = ? AND default_version_id IS NULL",
                    newest, datastoreId);
            return added;
        });
    }
}
