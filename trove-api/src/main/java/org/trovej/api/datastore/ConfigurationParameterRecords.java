package org.trovej.api.datastore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.trovej.common.configuration.ParameterRule;

/**
 * The owner of {@code datastore_configuration_parameters}: the configuration parameters a datastore version
 * accepts. SQL, not an entity, for the insert that does nothing when the name is taken (two concurrent creates:
 * one wins, the other is told, never a constraint error). The rows go with their version (ON DELETE CASCADE).
 */
@Repository
public class ConfigurationParameterRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    public ConfigurationParameterRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A parameter; the bounds are strings, as they may exceed 64-bit integers. */
    public record ConfigurationParameter(String name, String versionId, boolean restartRequired, String dataType,
                                         String maxSize, String minSize) {
    }

    public List<ConfigurationParameter> list(String versionId) {
        return jdbc.query("SELECT * FROM datastore_configuration_parameters WHERE datastore_version_id = ? "
                + "AND deleted = false ORDER BY name", (rs, n) -> row(rs), versionId);
    }

    public Optional<ConfigurationParameter> find(String versionId, String name) {
        return jdbc.query("SELECT * FROM datastore_configuration_parameters WHERE datastore_version_id = ? "
                + "AND name = ? AND deleted = false", (rs, n) -> row(rs), versionId, name).stream().findFirst();
    }

    /** False, and nothing written, when the version has a parameter of that name already. */
    public boolean insertIfAbsent(ConfigurationParameter p) {
        return jdbc.update("INSERT INTO datastore_configuration_parameters (id, name, datastore_version_id, "
                + "restart_required, max_size, min_size, data_type, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, false) "
                + "ON CONFLICT ON CONSTRAINT datastore_configuration_parameters_version_name_uq DO NOTHING",
                UUID.randomUUID().toString(), p.name(), p.versionId(), p.restartRequired(), p.maxSize(),
                p.minSize(), p.dataType()) > 0;
    }

    /**
     * A new version's parameters from its catalogue ({@code org.trovej.common.configuration.ParameterCatalogues}),
     * with their allowed values (a JSON array) and defaults; names the version has already are kept as they are.
     *
     * @return how many were added
     */
    public int seed(String versionId, List<ParameterRule> rules) {
        int[] added = jdbc.batchUpdate("INSERT INTO datastore_configuration_parameters (id, name, "
                + "datastore_version_id, restart_required, max_size, min_size, data_type, allowed_values, "
                + "default_value, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, false) "
                + "ON CONFLICT ON CONSTRAINT datastore_configuration_parameters_version_name_uq DO NOTHING",
                rules.stream().map(r -> new Object[] {UUID.randomUUID().toString(), r.name(), versionId,
                        r.restartRequired(), r.max(), r.min(), r.dataType(), allowedValuesJson(r.allowedValues()),
                        r.defaultValue()}).toList());
        return java.util.Arrays.stream(added).map(n -> Math.max(n, 0)).sum();
    }

    private static String allowedValuesJson(List<String> values) {
        try {
            return values == null ? null : JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes the parameter named {@code p.name()} of {@code p.versionId()}. */
    public void update(ConfigurationParameter p) {
        jdbc.update("UPDATE datastore_configuration_parameters SET restart_required = ?, data_type = ?, "
                + "max_size = ?, min_size = ? WHERE datastore_version_id = ? AND name = ?", p.restartRequired(),
                p.dataType(), p.maxSize(), p.minSize(), p.versionId(), p.name());
    }

    /** False when there was no such parameter. */
    public boolean delete(String versionId, String name) {
        return jdbc.update("DELETE FROM datastore_configuration_parameters WHERE datastore_version_id = ? "
                + "AND name = ?", versionId, name) > 0;
    }

    /**
     * The version's catalogue as configuration groups check values against it: bounds, allowed values and the
     * engine's default included.
     */
    public List<ParameterRule> rules(String versionId) {
        return jdbc.query("SELECT * FROM datastore_configuration_parameters WHERE datastore_version_id = ? "
                + "AND deleted = false ORDER BY name", (rs, n) -> new ParameterRule(rs.getString("name"),
                rs.getString("data_type"), rs.getString("min_size"), rs.getString("max_size"),
                rs.getBoolean("restart_required"), allowedValues(rs.getString("allowed_values")),
                rs.getString("default_value")), versionId);
    }

    private static List<String> allowedValues(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return List.of(JSON.readValue(json, String[].class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("allowed_values is not a JSON array of strings: " + json, e);
        }
    }

    private static ConfigurationParameter row(ResultSet rs) throws SQLException {
        return new ConfigurationParameter(rs.getString("name"), rs.getString("datastore_version_id"),
                rs.getBoolean("restart_required"), rs.getString("data_type"), rs.getString("max_size"),
                rs.getString("min_size"));
    }
}
