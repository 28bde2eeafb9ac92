package org.trovej.taskmanager.compute.local;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes what this host can run visible through the API: datastore {@code postgresql} with one active version
 * per PostgreSQL major version found (name {@code 15}, version {@code 15.14}, manager {@code postgresql}), the
 * newest as default when the datastore has none. Idempotent and additive: rows that exist are kept as they
 * are (an operator may have changed them), new binaries add a version.
 */
public class LocalDatastoreRegistrar {

    public static final String DATASTORE = "postgresql";
    private static final Logger log = LoggerFactory.getLogger(LocalDatastoreRegistrar.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final PostgresInstallations installations;

    public LocalDatastoreRegistrar(JdbcTemplate jdbc, TransactionTemplate tx, PostgresInstallations installations) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.installations = installations;
    }

    public void register() {
        List<PostgresInstallation> found = installations.all();
        if (found.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO datastores (id, name) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                    UUID.randomUUID().toString(), DATASTORE);
            String datastoreId = jdbc.queryForObject("SELECT id FROM datastores WHERE name = ?", String.class,
                    DATASTORE);
            String newest = null;
            for (PostgresInstallation pg : found.stream()
                    .sorted(Comparator.comparingInt(PostgresInstallation::major)).toList()) {
                String name = Integer.toString(pg.major());
                int added = jdbc.update("""
                        INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active)
                        SELECT ?, ?, ?, ?, ?, true
                         WHERE NOT EXISTS (SELECT 1 FROM datastore_versions WHERE datastore_id = ? AND name = ?)
                        ON CONFLICT ON CONSTRAINT datastore_versions_ds_name_version_uq DO NOTHING
                        """, UUID.randomUUID().toString(), datastoreId, name, pg.version(), DATASTORE,
                        datastoreId, name);
                if (added > 0) {
                    log.info("Registered datastore version {} {} ({})", DATASTORE, name, pg.binDir());
                }
                newest = jdbc.queryForObject("SELECT id FROM datastore_versions WHERE datastore_id = ? AND name = ? "
                        + "ORDER BY version DESC LIMIT 1", String.class, datastoreId, name);
            }
            jdbc.update("UPDATE datastores SET default_version_id = ? WHERE id = ? AND default_version_id IS NULL",
                    newest, datastoreId);
        });
    }
}
