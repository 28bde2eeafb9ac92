package org.trovej.taskmanager.datastore;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The task manager's one way to {@code datastores} and {@code datastore_versions}: registering what a compute
 * back end can run. Additive only: rows that exist are kept as they are (an operator may have changed them).
 * Every write joins the caller's transaction, if there is one.
 */
@Component
public class DatastoreRecords {

    private final JdbcTemplate jdbc;

    public DatastoreRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The id of the datastore called {@code name}, which is created if there is none. */
    public String ensureDatastore(String name) {
        jdbc.update("INSERT INTO datastores (id, name) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                UUID.randomUUID().toString(), name);
        return jdbc.queryForObject("SELECT id FROM datastores WHERE name = ?", String.class, name);
    }

    /**
     * Adds an active version {@code name} ({@code version}, {@code manager}) unless the datastore has a version of
     * that name already; true when it was added.
     */
    public boolean addVersionIfAbsent(String datastoreId, String name, String version, String manager) {
        return jdbc.update("""
                INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active)
                SELECT ?, ?, ?, ?, ?, true
                 WHERE NOT EXISTS (SELECT 1 FROM datastore_versions WHERE datastore_id = ? AND name = ?)
                ON CONFLICT ON CONSTRAINT datastore_versions_ds_name_version_uq DO NOTHING
                """, UUID.randomUUID().toString(), datastoreId, name, version, manager, datastoreId, name) > 0;
    }

    /** The id of the datastore's version called {@code name} (of several, the one with the highest number). */
    public String versionId(String datastoreId, String name) {
        return jdbc.queryForObject("SELECT id FROM datastore_versions WHERE datastore_id = ? AND name = ? "
                + "ORDER BY version DESC LIMIT 1", String.class, datastoreId, name);
    }

    /** Makes {@code versionId} the datastore's default, unless it has one. */
    public void setDefaultVersionIfUnset(String datastoreId, String versionId) {
        jdbc.update("UPDATE datastores SET default_version_id = ? WHERE id = ? AND default_version_id IS NULL",
                versionId, datastoreId);
    }
}
