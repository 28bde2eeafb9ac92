package org.trovej.api.instance;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.datastore.DatastoreVersion;
import org.trovej.api.error.ApiException;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;
import org.trovej.common.datastore.VersionNumbers;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.service.taskmanager.TaskManagerClient;

/**
 * {@code PUT /instances/{id}} (update) and {@code PATCH} (edit, Trove's deprecated alias): a new name and at most
 * one other change. Renames and access changes are recorded here, and commit together; attaching and detaching
 * a configuration group ({@code configuration}, or an empty {@code instance} as Trove reads it) follow, through
 * {@link InstanceConfigurationService}, as they call the guest; a replica's detach ({@code replica_of}, any value) is
 * {@link InstanceReplicationService}'s. An upgrade ({@code datastore_version}) sets task UPGRADING and is cast to the
 * task manager, which records the new version once the instance runs it.
 */
@Service
public class InstanceUpdateService {

    private static final Logger log = LoggerFactory.getLogger(InstanceUpdateService.class);

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
    private final TaskManagerClient taskManager;
    private final TaskCasts casts;

    InstanceUpdateService(InstanceLoader loader, DatastoreService datastores, TransactionTemplate tx,
                          Policy policy, ObjectMapper mapper, InstanceConfigurationService configurations,
                          InstanceReplicationService replication, TaskManagerClient taskManager, TaskCasts casts) {
        this.loader = loader;
        this.taskManager = taskManager;
        this.casts = casts;
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
        Upgrade upgrade = tx.execute(s -> {
            Instance instance = loader.lock(caller, id);
            policy.enforce(caller, patch ? "instance:edit" : "instance:update", instance.getTenantId());
            if (named) {
                instance.rename(changes.get("name").textValue());
            }
            if (detach) {
                // Trove detaches whatever value replica_of has (troveclient sends null, tempest "")
                replication.prepareDetach(instance);
            }
            if (changes.has("access")) {
                instance.replaceAccess(mapper.convertValue(changes.get("access"),
                        new TypeReference<Map<String, Object>>() { }));
            }
            return changes.has("datastore_version")
                    ? upgrade(instance, changes.get("datastore_version").textValue()) : null;
        });
        if (upgrade != null) {
            log.info("Instance {} is being upgraded to datastore version {} ({})", id, upgrade.versionName(),
                    upgrade.versionId());
            RpcContext context = caller.toRpcContext(requestId);
            casts.send(id, "upgrade", upgrade.before(),
                    () -> taskManager.upgrade(context, id, upgrade.versionId()));
        } else if (detach) {
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

    private record Upgrade(String versionId, String versionName, InstanceTask before) {
    }

    /**
     * Trove's checks (trove/instance/service.py {@code _modify_instance}): the version is looked up within the
     * instance's datastore (its errors), and the same version is allowed (a restart on the same programs). TroveJ
     * also refuses what Trove would only fail on later: an inactive version, an older one (no engine goes back a
     * version with the data of a newer one), an instance that is not ready (another task, not ACTIVE), and a
     * member of a replication set (source and replicas must run one version; upgrade them after detaching).
     */
    private Upgrade upgrade(Instance instance, String version) {
        String id = instance.getId();
        String versionId = instance.getDatastoreVersionId();
        if (versionId == null) {
            throw ApiException.badRequest("Instance " + id + " has no datastore version.");
        }
        var current = datastores.resolveAll(Set.of(versionId)).get(versionId);
        if (current == null) {
            throw ApiException.badRequest("Datastore version '" + versionId + "' cannot be found.");
        }
        DatastoreVersion target = datastores.loadVersion(current.datastore(), version, null);
        if (!target.isActive()) {
            throw ApiException.badRequest("Datastore version '" + target.getName() + "' is not active.");
        }
        if (VersionNumbers.compare(target.getVersion(), current.version().getVersion()) < 0) {
            throw ApiException.badRequest("Cannot upgrade instance " + id + " from datastore version '"
                    + current.version().getName() + "' (" + current.version().getVersion() + ") to the older '"
                    + target.getName() + "' (" + target.getVersion() + ").");
        }
        loader.actionState(instance, loader.serviceStatus(instance)).requireActionable(id);
        if (instance.getSlaveOfId() != null || !loader.replicasOf(instance).isEmpty()) {
            throw ApiException.badRequest("Instance " + id + " is part of a replication set: detach its replicas "
                    + "(or detach it from its source) before upgrading it.");
        }
        InstanceTask before = instance.getTask();
        instance.setTask(InstanceTask.UPGRADING);
        return new Upgrade(target.getId(), target.getName(), before);
    }
}
