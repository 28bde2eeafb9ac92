package org.trovej.api.instance;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.error.ApiException;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;

/**
 * {@code PUT /instances/{id}} (update) and {@code PATCH} (edit, Trove's deprecated alias): a new name and at most
 * one other change. Renames and access changes are recorded here, and commit together; attaching and detaching
 * a configuration group ({@code configuration}, or an empty {@code instance} as Trove reads it) follow, through
 * {@link InstanceConfigurationService}, as they call the guest; a replica's detach ({@code replica_of}, any value) is
 * {@link InstanceReplicationService}'s. Upgrades, not offered yet, get Trove's answer where Trove has one, else 501.
 */
@Service
public class InstanceUpdateService {

    private static final Set<String> PUT_KEYS = Set.of("name", "replica_of", "configuration", "datastore_version",
            "access");
    private static final Set<String> PATCH_KEYS = Set.of("name", "replica_of", "slave_of", "configuration",
            "datastore_version");

    private final InstanceLoader loader;
    private final DatastoreService datastores;
    private final TransactionTemplate tx;
    private final Policy policy;
    private final ObjectMapper mapper;
    private final InstanceConfigurationService configurations;
    private final InstanceReplicationService replication;

    InstanceUpdateService(InstanceLoader loader, DatastoreService datastores, TransactionTemplate tx,
                          Policy policy, ObjectMapper mapper, InstanceConfigurationService configurations,
                          InstanceReplicationService replication) {
        this.loader = loader;
        this.replication = replication;
        this.configurations = configurations;
        this.datastores = datastores;
        this.tx = tx;
        this.policy = policy;
        this.mapper = mapper;
    }

    public void update(AuthContext caller, String id, JsonNode body, boolean patch, String requestId) {
        JsonNode changes = validate(body, patch);
        boolean named = changes.hasNonNull("name") && !changes.get("name").asText().isEmpty();
        if ((named && changes.size() > 2) || (!named && changes.size() >= 2)) {
            throw ApiException.badRequest("Only one attribute (except 'name') is allowed to update.");
        }
        boolean detach = changes.has("replica_of") || changes.has("slave_of");
        tx.executeWithoutResult(s -> {
            Instance instance = loader.lock(caller, id);
            policy.enforce(caller, patch ? "instance:edit" : "instance:update", instance.getTenantId());
            if (named) {
                instance.rename(changes.get("name").textValue());
            }
            if (detach) {
                // Trove detaches whatever value replica_of has (troveclient sends null, tempest "")
                replication.prepareDetach(instance);
            }
            if (changes.has("datastore_version")) {
                upgrade(instance, changes.get("datastore_version").textValue());
            }
            if (changes.has("access")) {
                instance.replaceAccess(mapper.convertValue(changes.get("access"),
                        new TypeReference<Map<String, Object>>() { }));
            }
        });
        if (detach) {
            replication.castDetach(caller, id, requestId);
        } else if (changes.hasNonNull("configuration")) {
            configurations.attach(caller, id, CreateRequestReader.idFromHref(changes.get("configuration")),
                    requestId);
        } else if (changes.has("configuration") || changes.isEmpty()) {
            configurations.detach(caller, id, requestId);
        }
    }

    private JsonNode validate(JsonNode body, boolean patch) {
        Violations v = Violations.create();
        if (!Schemas.object(v, "", body) || !Schemas.required(v, "", body, "instance")) {
            v.throwIfAny();
        }
        String path = "instance";
        JsonNode instance = body.get("instance");
        if (Schemas.object(v, path, instance)) {
            Schemas.onlyProperties(v, path, instance, patch ? PATCH_KEYS : PUT_KEYS);
            if (instance.has("name")) {
                Schemas.nonEmptyString(v, Violations.key(path, "name"), instance.get("name"));
            }
            if (instance.has("configuration")) {
                Schemas.uuidOrNull(v, Violations.key(path, "configuration"), instance.get("configuration"));
            }
            if (instance.has("datastore_version")) {
                Schemas.nonEmptyString(v, Violations.key(path, "datastore_version"), instance.get("datastore_version"));
            }
            if (!patch && instance.has("access")) {
                Schemas.access(v, Violations.key(path, "access"), instance.get("access"), true);
            }
        }
        v.throwIfAny();
        return instance;
    }

    /** The version is looked up within the instance's datastore (Trove's errors); upgrading itself is not offered. */
    private void upgrade(Instance instance, String version) {
        String versionId = instance.getDatastoreVersionId();
        if (versionId == null) {
            throw ApiException.badRequest("Instance " + instance.getId() + " has no datastore version.");
        }
        var current = datastores.resolveAll(Set.of(versionId)).get(versionId);
        if (current == null) {
            throw ApiException.badRequest("Datastore version '" + versionId + "' cannot be found.");
        }
        datastores.loadVersion(current.datastore(), version, null);
        throw ApiException.notImplemented("Upgrading an instance's datastore version is not supported yet.");
    }
}
