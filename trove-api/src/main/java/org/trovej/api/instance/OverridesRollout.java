package org.trovej.api.instance;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.configuration.GroupValues;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.guest.GuestDataClient;
import org.trovej.common.datastore.ConfigTemplates;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * A configuration group's values taken to one instance's guest, in Trove's order (instance/models.py
 * save_configuration, apply_configuration, delete_configuration, reset_configuration) so a Trove guest takes part
 * unchanged: {@code update_overrides} persists them, the instance shows RESTART_REQUIRED, and when no value needs a
 * restart {@code apply_overrides} applies them at once and the task is cleared. Unlike Trove, a task that was
 * RESTART_REQUIRED before is kept (a dynamic change does not make an earlier static one take effect), and a task
 * other than NONE (a running operation) is never overwritten. No transaction is held while a guest is called.
 */
@Component
class OverridesRollout {

    private static final Logger log = LoggerFactory.getLogger(OverridesRollout.class);

    private final GuestDataClient guest;
    private final InstanceRepository instances;
    private final DatastoreService datastores;
    private final FlavorCatalog flavors;
    private final ConfigTemplates templates;
    private final TransactionTemplate tx;

    OverridesRollout(GuestDataClient guest, InstanceRepository instances, DatastoreService datastores,
                     FlavorCatalog flavors, ConfigTemplates templates, TransactionTemplate tx) {
        this.guest = guest;
        this.instances = instances;
        this.datastores = datastores;
        this.flavors = flavors;
        this.templates = templates;
        this.tx = tx;
    }

    /**
     * The group's values on the instance; {@code attach}: the instance records the group too. Better than Trove,
     * which applies nothing when one value needs a restart, the values that take effect at once are applied at
     * once, and only the others wait for the restart. A value the guest refuses is thrown after the instance's
     * records are back as they were (the guest restores its own file).
     */
    void apply(RpcContext context, String instanceId, GroupValues group, boolean attach) {
        apply(context, instanceId, group, attach, null);
    }

    /**
     * A changed group's values on an instance it is attached to: as {@link #apply}, where only a value that changed
     * and needs a restart asks for one, and a value the change removed returns to its default at once when it can
     * (else at the next restart).
     */
    void change(RpcContext context, String instanceId, GroupValues changed, GroupValues previous) {
        apply(context, instanceId, changed, false, previous);
    }

    private void apply(RpcContext context, String instanceId, GroupValues group, boolean attach,
                       GroupValues previous) {
        guest.updateOverrides(context, instanceId, group.overrides(), false);
        InstanceTask before = record(instanceId, attach ? group.configurationId() : null, attach);
        ObjectNode now = group.dynamicOverrides();
        boolean restart = group.restartRequired().stream().anyMatch(name -> previous == null
                || !Objects.equals(previous.values().get(name), group.values().get(name)));
        if (previous != null) {
            ObjectNode defaults = defaults(instanceId, previous);
            for (String name : previous.values().keySet()) {
                if (group.values().containsKey(name)) {
                    continue;
                }
                if (defaults.has(name)) {
                    now.set(name, defaults.get(name));
                } else {
                    restart = true;
                }
            }
        }
        if (!now.isEmpty()) {
            try {
                guest.applyOverrides(context, instanceId, now);
            } catch (RuntimeException e) {
                undoAttach(instanceId, before, attach);
                throw e;
            }
        }
        if (restart) {
            log.info("Configuration group {} saved on instance {}; some values take effect at the next restart",
                    group.configurationId(), instanceId);
            return;
        }
        release(instanceId, before);
        log.info("Configuration group {} applied to instance {}", group.configurationId(), instanceId);
    }

    /**
     * The group taken away: the guest drops its values; those that take effect at once return to their defaults
     * at once (the datastore's rendered configuration for the instance's flavor first, then the engine's own
     * default from the catalogue); when one needs a restart or has no known default, the instance shows
     * RESTART_REQUIRED until it is restarted.
     */
    void remove(RpcContext context, String instanceId, GroupValues group) {
        guest.updateOverrides(context, instanceId, PythonJson.object(), true);
        InstanceTask before = record(instanceId, null, true);
        if (group == null) {
            return;
        }
        ObjectNode defaults = defaults(instanceId, group);
        if (!defaults.isEmpty()) {
            guest.applyOverrides(context, instanceId, defaults);
        }
        if (group.needsRestart() || defaults.size() < group.values().size()) {
            log.info("Configuration group {} removed from instance {}; some of its values return to their "
                    + "defaults at the next restart", group.configurationId(), instanceId);
            return;
        }
        release(instanceId, before);
        log.info("Configuration group {} removed from instance {} and its defaults applied", group.configurationId(),
                instanceId);
    }

    /** The defaults of the group's dynamic values, where known. */
    private ObjectNode defaults(String instanceId, GroupValues group) {
        Map<String, String> rendered = tx.execute(s -> instances.findByIdAndDeletedFalse(instanceId).map(i -> {
            var ds = datastores.resolveAll(Set.of(i.getDatastoreVersionId())).get(i.getDatastoreVersionId());
            return flavors.find(i.getFlavorId()).map(f -> templates.values(ds == null ? null
                    : ds.version().getManager(), f)).orElse(Map.of());
        }).orElse(Map.of()));
        ObjectNode defaults = PythonJson.object();
        for (String name : group.values().keySet()) {
            JsonNode value = rendered.containsKey(name) ? group.typed(name, rendered.get(name))
                    : group.defaults().get(name);
            if (!group.restartRequired().contains(name) && value != null && !value.isNull()) {
                defaults.set(name, value);
            }
        }
        return defaults;
    }

    /** Records the change (and, for an attach or detach, the group); returns the task the instance had. */
    private InstanceTask record(String instanceId, String configurationId, boolean setGroup) {
        return tx.execute(s -> instances.lockById(instanceId).map(i -> {
            InstanceTask before = i.getTask();
            if (setGroup) {
                if (configurationId == null) {
                    i.detachConfiguration();
                } else {
                    i.attachConfiguration(configurationId);
                }
            }
            if (before == InstanceTask.NONE) {
                i.setTask(InstanceTask.RESTART_REQUIRED);
            }
            i.touch();
            return before;
        }).orElse(InstanceTask.NONE));
    }

    /** The change took effect: the instance's task is what it was before. */
    private void release(String instanceId, InstanceTask before) {
        tx.executeWithoutResult(s -> instances.lockById(instanceId).ifPresent(i -> {
            if (before == InstanceTask.NONE && i.getTask() == InstanceTask.RESTART_REQUIRED) {
                i.setTask(InstanceTask.NONE);
            }
        }));
    }

    /** A refused apply: the instance's task is what it was, and an attach is undone. */
    private void undoAttach(String instanceId, InstanceTask before, boolean attach) {
        tx.executeWithoutResult(s -> instances.lockById(instanceId).ifPresent(i -> {
            if (attach) {
                i.detachConfiguration();
            }
            if (before == InstanceTask.NONE && i.getTask() == InstanceTask.RESTART_REQUIRED) {
                i.setTask(InstanceTask.NONE);
            }
        }));
    }
}
