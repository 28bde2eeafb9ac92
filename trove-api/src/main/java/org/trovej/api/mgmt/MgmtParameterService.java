package org.trovej.api.mgmt;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.datastore.ConfigurationParameterRecords;
import org.trovej.api.datastore.ParameterViews;
import org.trovej.api.datastore.ConfigurationParameterRecords.ConfigurationParameter;
import org.trovej.api.datastore.DatastoreVersionRepository;
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

    private final ConfigurationParameterRecords parameters;
    private final DatastoreVersionRepository versions;
    private final TransactionTemplate tx;

    public MgmtParameterService(ConfigurationParameterRecords parameters, DatastoreVersionRepository versions,
                                TransactionTemplate tx) {
        this.parameters = parameters;
        this.versions = versions;
        this.tx = tx;
    }

    private record Checked(String name, boolean restartRequired, String dataType, String maxSize, String minSize) {

        ConfigurationParameter of(String versionId, String parameterName) {
            return new ConfigurationParameter(parameterName, versionId, restartRequired, dataType, maxSize, minSize);
        }
    }

    public List<Map<String, Object>> list(String versionId) {
        requireVersion(versionId);
        return parameters.list(versionId).stream().map(MgmtParameterService::view).toList();
    }

    public Map<String, Object> show(String versionId, String name) {
        requireVersion(versionId);
        return view(load(versionId, name));
    }

    public Map<String, Object> create(String versionId, JsonNode body) {
        Checked p = validate(body);
        return tx.execute(s -> {
            requireVersion(versionId);
            if (!parameters.insertIfAbsent(p.of(versionId, p.name()))) {
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
            parameters.update(p.of(versionId, name));
            return view(load(versionId, name));
        });
    }

    public void delete(String versionId, String name) {
        if (!parameters.delete(versionId, name)) {
            throw ApiException.badRequest("Parameter " + name + " does not exist in the database.");
        }
        log.info("Configuration parameter {} removed from datastore version {}", name, versionId);
    }

    private void requireVersion(String versionId) {
        if (!versions.existsById(versionId)) {
            throw MgmtDatastoreVersionService.notFound(versionId);
        }
    }

    private ConfigurationParameter load(String versionId, String name) {
        return parameters.find(versionId, name).orElseThrow(() -> ApiException.resourceNotFound(name));
    }

    private static Map<String, Object> view(ConfigurationParameter p) {
        return ParameterViews.view(p, true);
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
