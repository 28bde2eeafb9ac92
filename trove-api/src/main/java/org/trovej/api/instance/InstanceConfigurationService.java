package org.trovej.api.instance;

import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.configuration.ConfigurationService;
import org.trovej.api.configuration.GroupValues;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.error.ApiException;
import org.trovej.common.datastore.ConfigTemplates;
import org.trovej.common.status.InstanceTask;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * An instance's configuration group: attach and detach ({@code PUT /instances/{id}} with {@code configuration}),
 * and its default configuration ({@code GET /instances/{id}/configuration}, Trove's rendered template for its
 * flavor). The checks run on the locked record first; the guest is called with no transaction held.
 */
@Service
class InstanceConfigurationService {

    private final InstanceLoader loader;
    private final ConfigurationService configurations;
    private final OverridesRollout rollout;
    private final DatastoreService datastores;
    private final FlavorCatalog flavors;
    private final ConfigTemplates templates;
    private final Policy policy;
    private final TransactionTemplate tx;

    InstanceConfigurationService(InstanceLoader loader, ConfigurationService configurations, OverridesRollout rollout,
                                 DatastoreService datastores, FlavorCatalog flavors, ConfigTemplates templates,
                                 Policy policy, TransactionTemplate tx) {
        this.loader = loader;
        this.configurations = configurations;
        this.rollout = rollout;
        this.datastores = datastores;
        this.flavors = flavors;
        this.templates = templates;
        this.policy = policy;
        this.tx = tx;
    }

    /** Trove's attach_configuration: not attached yet, ACTIVE with no task, a group of the instance's version. */
    void attach(AuthContext caller, String id, String configurationId, String requestId) {
        GroupValues group = tx.execute(s -> {
            Instance instance = loader.lock(caller, id);
            if (instance.getConfigurationId() != null) {
                throw ApiException.badRequest("Instance " + id + " already has a Configuration Group attached: "
                        + instance.getConfigurationId() + ".");
            }
            requireAssignable(instance);
            return configurations.forInstance(caller, configurationId, instance.getDatastoreVersionId());
        });
        rollout.apply(caller.toRpcContext(requestId), id, group, true);
    }

    /** Trove's detach_configuration: nothing to do without a group; else the same state check as an attach. */
    void detach(AuthContext caller, String id, String requestId) {
        String attached = tx.execute(s -> {
            Instance instance = loader.lock(caller, id);
            if (instance.getConfigurationId() == null) {
                return null;
            }
            requireAssignable(instance);
            return instance.getConfigurationId();
        });
        if (attached != null) {
            rollout.remove(caller.toRpcContext(requestId), id, configurations.attachedValues(attached));
        }
    }

    /** The datastore's configuration rendered for the instance's flavor, as Trove's DefaultConfigurationView. */
    Map<String, String> defaults(AuthContext caller, String id) {
        return tx.execute(s -> {
            Instance instance = loader.visible(caller, id);
            policy.enforce(caller, "instance:configuration", instance.getTenantId());
            DatastoreService.Resolved ds = datastores.resolveAll(Set.of(instance.getDatastoreVersionId()))
                    .get(instance.getDatastoreVersionId());
            return flavors.find(instance.getFlavorId())
                    .map(f -> templates.values(ds == null ? null : ds.version().getManager(), f))
                    .orElse(Map.of());
        });
    }

    /** Trove's _validate_can_perform_assign: the server ACTIVE and no task. */
    private static void requireAssignable(Instance instance) {
        String server = instance.getServerStatus();
        String blocking = !"ACTIVE".equals(server) ? String.valueOf(server)
                : instance.getTask() != InstanceTask.NONE ? instance.getTask().action() : null;
        if (blocking != null) {
            throw ApiException.badRequest("The operation you have requested cannot be executed because the instance "
                    + "status is currently: " + blocking + ".");
        }
    }
}
