package org.trovej.taskmanager.datastore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.common.configuration.ParameterCatalogues;
import org.trovej.common.configuration.ParameterRule;

/**
 * The task manager's one way to {@code datastores}, {@code datastore_versions} and the seeding of
 * {@code datastore_configuration_parameters}: registering what a compute back end can run, with the configuration
 * parameters each version accepts. Additive only: rows that exist are kept as they are (an operator may have
 * changed them).
 */
@Component
public class DatastoreRecords {

    private static final Logger log = LoggerFactory.getLogger(DatastoreRecords.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A version to offer: its name, its number ({@code version}) and the manager that runs it, and where its
     * configuration parameters come from when TroveJ ships no catalogue for it (null: nowhere).
     */
    public record NewVersion(String name, String version, String manager,
                             Supplier<List<ParameterRule>> parametersWithoutCatalogue, String imageId) {

        public NewVersion(String name, String version, String manager) {
            this(name, version, manager, null, null);
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public DatastoreRecords(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** A datastore version as an upgrade needs it: its name, number and manager. */
    public record VersionRow(String id, String name, String version, String manager) {
    }

    /** The version with this id, deleted or inactive alike (the API has checked what a request may name). */
    public Optional<VersionRow> findVersion(String versionId) {
        return jdbc.query("SELECT id, name, version, manager FROM datastore_versions WHERE id = ?",
                (rs, n) -> new VersionRow(rs.getString("id"), rs.getString("name"), rs.getString("version"),
                        rs.getString("manager")), versionId).stream().findFirst();
    }

    /**
     * In one transaction: the datastore called {@code datastore} (created if there is none), each of
     * {@code versions} it has no version of that name of yet (active), the last of them as its default if it
     * has none, and the configuration parameters of each of those versions that has none yet (so installations
     * from before the catalogue get theirs at the next start): the shipped catalogue of its manager and number
     * ({@link ParameterCatalogues}), else what the version itself supplies.
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
                        INSERT INTO datastore_versions (id, datastore_id, name, version, manager, image_id, active)
                        SELECT ?, ?, ?, ?, ?, ?, true
                         WHERE NOT EXISTS (SELECT 1 FROM datastore_versions WHERE datastore_id = ? AND name = ?)
                        ON CONFLICT ON CONSTRAINT datastore_versions_ds_name_version_uq DO NOTHING
                        """, UUID.randomUUID().toString(), datastoreId, version.name(), version.version(),
                        version.manager(), version.imageId(), datastoreId, version.name()) > 0) {
                    added.add(version);
                } else if (version.imageId() != null) {
                    // a version registered before it had an image gets it; one an operator gave an image keeps it
                    jdbc.update("UPDATE datastore_versions SET image_id = ? WHERE datastore_id = ? AND name = ? "
                            + "AND image_id IS NULL AND image_tags IS NULL", version.imageId(), datastoreId,
                            version.name());
                }
                newest = jdbc.queryForObject("SELECT id FROM datastore_versions WHERE datastore_id = ? AND name = ? "
                        + "ORDER BY version DESC LIMIT 1", String.class, datastoreId, version.name());
                seedParameters(datastore, datastoreId, version);
            }
            jdbc.update("UPDATE datastores SET default_version_id = ? WHERE id = ? AND default_version_id IS NULL",
                    newest, datastoreId);
            return added;
        });
    }

    /** The parameters of each version of that name that has none yet, each by its own manager and number. */
    private void seedParameters(String datastore, String datastoreId, NewVersion version) {
        List<Map<String, Object>> bare = jdbc.queryForList("""
                SELECT v.id, v.version, v.manager FROM datastore_versions v
                 WHERE v.datastore_id = ? AND v.name = ?
                   AND NOT EXISTS (SELECT 1 FROM datastore_configuration_parameters p
                                    WHERE p.datastore_version_id = v.id)
                """, datastoreId, version.name());
        for (Map<String, Object> row : bare) {
            String manager = (String) row.get("manager");
            String number = (String) row.get("version");
            List<ParameterRule> rules = ParameterCatalogues.rules(manager, number).orElseGet(() ->
                    version.parametersWithoutCatalogue() == null ? List.of()
                            : version.parametersWithoutCatalogue().get());
            if (rules.isEmpty()) {
                log.info("No configuration parameters known for datastore {} version {} ({} {})", datastore,
                        version.name(), manager, number);
                continue;
            }
            String versionId = (String) row.get("id");
            jdbc.batchUpdate("""
                    INSERT INTO datastore_configuration_parameters (id, name, datastore_version_id, restart_required,
                                                                    max_size, min_size, data_type, allowed_values,
                                                                    default_value, deleted)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, false)
                    ON CONFLICT ON CONSTRAINT datastore_configuration_parameters_version_name_uq DO NOTHING
                    """, rules.stream().map(r -> new Object[] {UUID.randomUUID().toString(), r.name(), versionId,
                    r.restartRequired(), r.max(), r.min(), r.dataType(), json(r.allowedValues()), r.defaultValue()})
                    .toList());
            log.info("Datastore {} version {}: {} configuration parameters", datastore, version.name(), rules.size());
        }
    }

    private static String json(List<String> values) {
        try {
            return values == null ? null : JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
