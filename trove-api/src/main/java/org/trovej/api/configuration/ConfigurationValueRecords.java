package org.trovej.api.configuration;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The owner of {@code configuration_parameters}: a group's values, as text, one row per parameter name. Rows are
 * written by upsert on (group, name) and removed by marking them deleted, as Trove does, so a name that comes back
 * revives its row. Runs in the caller's transaction.
 */
@Repository
class ConfigurationValueRecords {

    private final JdbcTemplate jdbc;

    ConfigurationValueRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The group's values by parameter name, in name order. */
    Map<String, String> values(String configurationId) {
        Map<String, String> values = new LinkedHashMap<>();
        jdbc.query("SELECT configuration_key, configuration_value FROM configuration_parameters "
                        + "WHERE configuration_id = ? AND deleted = false ORDER BY configuration_key",
                rs -> {
                    values.put(rs.getString(1), rs.getString(2));
                }, configurationId);
        return values;
    }

    /** Adds or changes these values; others stay. */
    void merge(String configurationId, Map<String, String> values) {
        values.forEach((key, value) -> jdbc.update("""
                INSERT INTO configuration_parameters (configuration_id, configuration_key, configuration_value, deleted)
                VALUES (?, ?, ?, false)
                ON CONFLICT (configuration_id, configuration_key)
                DO UPDATE SET configuration_value = EXCLUDED.configuration_value, deleted = false, deleted_at = NULL
                """, configurationId, key, value));
    }

    /** The group's values become exactly these. */
    void replace(String configurationId, Map<String, String> values) {
        removeAll(configurationId);
        merge(configurationId, values);
    }

    void removeAll(String configurationId) {
        jdbc.update("UPDATE configuration_parameters SET deleted = true, deleted_at = now() AT TIME ZONE 'UTC' "
                + "WHERE configuration_id = ? AND deleted = false", configurationId);
    }
}
