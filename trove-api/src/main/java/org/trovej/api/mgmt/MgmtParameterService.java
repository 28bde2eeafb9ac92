package org.trovej.api.mgmt;

import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.error.ApiException;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;

/**
 * {@code /mgmt/datastores/versions/{vid}/parameters} (trove/extensions/mgmt/configuration): the configuration
 * parameters a datastore version accepts. Trove's schema ({@code configuration-parameter} with {@code name},
 * {@code restart_required} 0/1 and {@code data_type}; {@code max_size}/{@code min_size} required for integers),
 * its answers (create and update 200 with the parameter unwrapped, delete 204, a missing one 400 on delete and 404
 * elsewhere, an unknown version 400).
 */
@Service
public class MgmtParameterService {

    private static final Logger log = LoggerFactory.getLogger(MgmtParameterService.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public MgmtParameterService(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    private record Parameter(String name, String versionId, boolean restartRequired, String dataType,
                             String maxSize, String minSize) {
    }

    private record Checked(String name, boolean restartRequired, String dataType, String maxSize, String minSize) {
    }

    public List<Map<String, Object>> list(String versionId) {
        requireVersion(versionId);
        return jdbc.query("SELECT * FROM datastore_configuration_parameters WHERE datastore_version_id = ? "
                + "AND deleted = false ORDER BY name", (rs, n) -> view(row(rs)), versionId);
    }

    public Map<String, Object> show(String versionId, String name) {
        requireVersion(versionId);
        return view(load(versionId, name));
    }

    public Map<String, Object> create(String versionId, JsonNode body) {
        Checked p = validate(body);
        return tx.execute(s -> {
            requireVersion(versionId);
            int inserted = jdbc.update("INSERT INTO datastore_configuration_parameters (id, name, datastore_version_id, "
                    + "restart_required, max_size, min_size, data_type, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, false) "
                    + "ON CONFLICT ON CONSTRAINT datastore_configuration_parameters_version_name_uq DO NOTHING",
                    UUID.randomUUID().toString(), p.name(), versionId, p.restartRequired(), p.maxSize(), p.minSize(),
                    p.dataType());
            if (inserted == 0) {
                throw ApiException.badRequest(p.name() + " parameter already exists for datastore version "
                        + versionId + ".");
            }
            log.info("Configuration parameter {} ({}) added to datastore version {}", p.name(), p.dataType(),
                    versionId);
            return view(load(versionId, p.name()));
        });
    }

    /** The parameter named in the path changes; a name in the body is not used, as in Trove. */
    public Map<String, Object> update(String versionId, String name, JsonNode body) {
        Checked p = validate(body);
        return tx.execute(s -> {
            requireVersion(versionId);
            load(versionId, name);
            jdbc.update("UPDATE datastore_configuration_parameters SET restart_required = ?, data_type = ?, "
                    + "max_size = ?, min_size = ? WHERE datastore_version_id = ? AND name = ?", p.restartRequired(),
                    p.dataType(), p.maxSize(), p.minSize(), versionId, name);
            return view(load(versionId, name));
        });
    }

    public void delete(String versionId, String name) {
        int deleted = jdbc.update("DELETE FROM datastore_configuration_parameters WHERE datastore_version_id = ? "
                + "AND name = ?", versionId, name);
        if (deleted == 0) {
            throw ApiException.badRequest("Parameter " + name + " does not exist in the database.");
        }
        log.info("Configuration parameter {} removed from datastore version {}", name, versionId);
    }

    private void requireVersion(String versionId) {
        if (jdbc.queryForObject("SELECT count(*) FROM datastore_versions WHERE id = ?", Integer.class, versionId) == 0) {
            throw MgmtDatastoreVersionService.notFound(versionId);
        }
    }

    private Parameter load(String versionId, String name) {
        return jdbc.query("SELECT * FROM datastore_configuration_parameters WHERE datastore_version_id = ? "
                + "AND name = ? AND deleted = false", (rs, n) -> row(rs), versionId, name).stream().findFirst()
                .orElseThrow(() -> ApiException.resourceNotFound(name));
    }

    private static Parameter row(ResultSet rs) throws SQLException {
        return new Parameter(rs.getString("name"), rs.getString("datastore_version_id"),
                rs.getBoolean("restart_required"), rs.getString("data_type"), rs.getString("max_size"),
                rs.getString("min_size"));
    }

    /** Trove's MgmtConfigurationParameterView: bounds only when set and not zero. */
    private static Map<String, Object> view(Parameter p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", p.name());
        view.put("datastore_version_id", p.versionId());
        view.put("restart_required", p.restartRequired());
        view.put("type", p.dataType());
        BigInteger max = bound(p.maxSize());
        BigInteger min = bound(p.minSize());
        if (max != null && max.signum() != 0) {
            view.put("max_size", max);
        }
        if (min != null && min.signum() != 0) {
            view.put("min_size", min);
        }
        return view;
    }

    private static BigInteger bound(String stored) {
        return stored == null || stored.isEmpty() ? null : new BigInteger(stored.trim());
    }

    private static Checked validate(JsonNode body) {
        Violations v = Violations.create();
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ApiException.badRequest("Invalid request body.");
        }
        if (!Schemas.required(v, "", body, "configuration-parameter")) {
            v.throwIfAny();
        }
        String path = "configuration-parameter";
        JsonNode p = body.get(path);
        if (Schemas.object(v, path, p)) {
            Schemas.required(v, path, p, "name", "restart_required", "data_type");
            if (p.has("name")) {
                Schemas.string(v, Violations.key(path, "name"), p.get("name"), 1, 128, "^.*[0-9a-zA-Z]+.*$");
            }
            if (p.has("data_type")) {
                Schemas.string(v, Violations.key(path, "data_type"), p.get("data_type"), 1, null, "integer|string");
            }
            if (p.has("restart_required")) {
                Schemas.integer(v, Violations.key(path, "restart_required"), p.get("restart_required"), 0, 1);
            }
        }
        v.throwIfAny();
        String dataType = p.get("data_type").textValue();
        String max = null;
        String min = null;
        if ("integer".equals(dataType)) {
            if (!p.has("max_size")) {
                throw ApiException.badRequest("max_size is required for integer data type.");
            }
            if (!p.has("min_size")) {
                throw ApiException.badRequest("min_size is required for integer data type.");
            }
            BigInteger maxSize = integer("max_size", p.get("max_size"));
            BigInteger minSize = integer("min_size", p.get("min_size"));
            if (maxSize.compareTo(minSize) < 0) {
                throw ApiException.badRequest("max_size must be greater than or equal to min_size.");
            }
            max = maxSize.toString();
            min = minSize.toString();
        }
        return new Checked(p.get("name").textValue(), p.get("restart_required").intValue() == 1, dataType, max, min);
    }

    /** Python's int() of the value: an integer, or a string of digits (with an optional sign). */
    private static BigInteger integer(String key, JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isTextual() && value.textValue().trim().matches("[+-]?[0-9]{1,39}")) {
            return new BigInteger(value.textValue().trim());
        }
        throw ApiException.badRequest(key + " must be an integer.");
    }
}
