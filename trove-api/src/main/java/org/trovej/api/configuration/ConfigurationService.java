package org.trovej.api.configuration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.ApiProperties;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.datastore.ConfigurationParameterRecords;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.error.ApiException;
import org.trovej.api.web.PageLimit;
import org.trovej.api.web.Timestamps;
import org.trovej.common.configuration.ParameterRule;

/**
 * Configuration groups (Trove's ConfigurationsController and configuration models): create, list, show, the
 * instances a group is attached to, replace (PUT) and merge (PATCH) of values, delete. Values are checked against
 * the datastore version's catalogue before anything is stored or sent; a changed group reaches every instance it is
 * attached to before its new values are stored, so a value a guest refuses leaves the group as it was. Visibility
 * as Trove: a project sees its own groups, an admin every group; another project's group is "not found".
 */
@Service
public class ConfigurationService {

    private static final Logger log = LoggerFactory.getLogger(ConfigurationService.class);

    private final ConfigurationRepository groups;
    private final ConfigurationValueRecords values;
    private final ConfigurationParameterRecords parameters;
    private final DatastoreService datastores;
    private final ConfigurationInstances instances;
    private final ConfigurationRequests requests;
    private final Policy policy;
    private final TransactionTemplate tx;
    private final int pageSize;

    public ConfigurationService(ConfigurationRepository groups, ConfigurationValueRecords values,
                                ConfigurationParameterRecords parameters, DatastoreService datastores,
                                ConfigurationInstances instances, Policy policy, TransactionTemplate tx,
                                ApiProperties properties) {
        this.groups = groups;
        this.values = values;
        this.parameters = parameters;
        this.datastores = datastores;
        this.instances = instances;
        this.requests = new ConfigurationRequests();
        this.policy = policy;
        this.tx = tx;
        this.pageSize = properties.defaultPageSize();
    }

    /** One page of views and the marker of the next page (null on the last). */
    public record Page<T>(List<T> items, String nextMarker) {
    }

    public ConfigurationViews.Detail create(AuthContext caller, JsonNode body) {
        policy.enforce(caller, "configuration:create", caller.projectId());
        ConfigurationRequests.Create request = requests.create(body);
        return tx.execute(s -> {
            DatastoreService.Resolved ds = datastores.resolve(request.datastoreType(), request.datastoreVersion(),
                    request.datastoreVersionNumber(), false);
            Map<String, String> stored = rules(ds).checked(request.values());
            Configuration group = groups.saveAndFlush(Configuration.create(UUID.randomUUID().toString(), request.name(),
                    request.description(), caller.projectId(), ds.version().getId()));
            values.merge(group.getId(), stored);
            log.info("Configuration group {} ({}) created for project {}: {} {}, parameters {}", group.getId(),
                    group.getName(), caller.projectId(), ds.datastore().getName(), ds.version().getName(),
                    stored.keySet());
            return detail(group, ds, stored, 0);
        });
    }

    public Page<ConfigurationViews.Summary> list(AuthContext caller, String limit, String marker) {
        policy.enforce(caller, "configuration:index", caller.projectId());
        int size = PageLimit.of(limit, pageSize);
        return tx.execute(s -> {
            List<Configuration> page = groups.page(caller.admin() ? null : caller.projectId(),
                    marker == null ? "" : marker, Limit.of(size + 1));
            boolean more = page.size() > size;
            List<Configuration> shown = more ? page.subList(0, size) : page;
            Map<String, DatastoreService.Resolved> versions = datastores.resolveAll(
                    shown.stream().map(Configuration::getDatastoreVersionId).distinct().toList());
            return new Page<>(shown.stream().map(c -> summary(c, versions.get(c.getDatastoreVersionId()))).toList(),
                    more ? shown.get(shown.size() - 1).getId() : null);
        });
    }

    public ConfigurationViews.Detail show(AuthContext caller, String id) {
        return tx.execute(s -> {
            Configuration group = visible(caller, id);
            policy.enforce(caller, "configuration:show", group.getTenantId());
            DatastoreService.Resolved ds = version(group);
            return detail(group, ds, values.values(id),
                    instances.countAttached(id, caller.admin() ? null : caller.projectId()));
        });
    }

    public Page<ConfigurationViews.InstanceRef> instances(AuthContext caller, String id, String limit,
                                                          String marker) {
        int size = PageLimit.of(limit, pageSize);
        return tx.execute(s -> {
            Configuration group = visible(caller, id);
            policy.enforce(caller, "configuration:instances", group.getTenantId());
            List<ConfigurationInstances.Attached> page = instances.attached(id,
                    caller.admin() ? null : caller.projectId(), marker == null ? "" : marker, size + 1);
            boolean more = page.size() > size;
            List<ConfigurationInstances.Attached> shown = more ? page.subList(0, size) : page;
            return new Page<>(shown.stream().map(a -> new ConfigurationViews.InstanceRef(a.id(), a.name())).toList(),
                    more ? shown.get(shown.size() - 1).id() : null);
        });
    }

    /** PUT: name and description as given, values replaced by the body's (none given: all removed), as Trove. */
    public void update(AuthContext caller, String id, JsonNode body, String requestId) {
        ConfigurationRequests.Update request = requests.update(body);
        change(caller, id, "configuration:update", request.values(), true, requestId, group -> {
            if (request.name() != null) {
                group.rename(request.name());
            }
            if (request.hasDescription()) {
                group.describe(request.description());
            }
        });
    }

    /** PATCH: the body's values merged into the group's. */
    public void edit(AuthContext caller, String id, JsonNode body, String requestId) {
        ConfigurationRequests.Edit request = requests.edit(body);
        change(caller, id, "configuration:edit", request.values(), false, requestId, group -> { });
    }

    private interface Rename {
        void apply(Configuration group);
    }

    private void change(AuthContext caller, String id, String rule, JsonNode given, boolean replace,
                        String requestId, Rename rename) {
        record Change(Configuration group, ParameterValues rules, Map<String, String> before,
                      Map<String, String> after) {
        }
        Change change = tx.execute(s -> {
            Configuration group = visible(caller, id);
            policy.enforce(caller, rule, group.getTenantId());
            ParameterValues rules = rules(version(group));
            Map<String, String> before = values.values(id);
            Map<String, String> checked = rules.checked(given);
            Map<String, String> after = new LinkedHashMap<>(replace ? Map.of() : before);
            after.putAll(checked);
            return new Change(group, rules, before, after);
        });
        if (!change.after().equals(change.before())) {
            // the guests first: a value one of them refuses leaves the group and every instance as they were
            instances.refresh(caller, groupValues(change.group(), change.rules(), change.after()),
                    groupValues(change.group(), change.rules(), change.before()), requestId);
        }
        tx.executeWithoutResult(s -> {
            Configuration group = groups.lockById(id).orElseThrow(() -> notFound(id));
            rename.apply(group);
            values.replace(id, change.after());
            group.touch();
        });
        log.info("Configuration group {} changed: parameters {}", id, change.after().keySet());
    }

    public void delete(AuthContext caller, String id) {
        tx.executeWithoutResult(s -> {
            Configuration group = groups.lockById(id).filter(c -> caller.admin()
                    || c.getTenantId().equals(caller.projectId())).orElseThrow(() -> notFound(id));
            policy.enforce(caller, "configuration:delete", group.getTenantId());
            if (instances.countAttached(id, null) > 0) {
                throw ApiException.badRequest("A configuration group cannot be deleted if it is associated with "
                        + "one or more non-terminated instances. Detach the configuration group from all "
                        + "non-terminated instances and please try again.");
            }
            values.removeAll(id);
            group.markDeleted();
        });
        log.info("Configuration group {} deleted", id);
    }

    /**
     * The group a create or an attach names, as the instance's project sees it, with its values as guests get
     * them: Trove's Configuration.find — not visible is 404, another datastore version is refused.
     */
    public GroupValues forInstance(AuthContext caller, String id, String instanceVersionId) {
        Configuration group = groups.findByIdAndDeletedFalse(id)
                .filter(c -> caller.admin() || c.getTenantId().equals(caller.projectId()))
                .orElseThrow(() -> ApiException.notFound("Configuration group id: " + id + " could not be found."));
        if (!group.getDatastoreVersionId().equals(instanceVersionId)) {
            throw ApiException.badRequest("Datastore Version on Configuration " + group.getDatastoreVersionId()
                    + " does not match the Datastore Version on the instance " + instanceVersionId + ".");
        }
        return attached(group);
    }

    /** The values of a group an instance has attached (a detach needs them to reset what the group set). */
    public GroupValues attachedValues(String id) {
        return groups.findById(id).map(this::attached).orElse(null);
    }

    private GroupValues attached(Configuration group) {
        return groupValues(group, rules(version(group)), values.values(group.getId()));
    }

    private GroupValues groupValues(Configuration group, ParameterValues rules, Map<String, String> stored) {
        Map<String, JsonNode> typed = new LinkedHashMap<>();
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        Map<String, ParameterRule> known = new LinkedHashMap<>();
        stored.forEach((name, text) -> {
            typed.put(name, rules.typed(name, text));
            ParameterRule rule = rules.rule(name);
            if (rule != null) {
                known.put(name, rule);
            }
            defaults.put(name, rule == null || rule.defaultValue() == null ? null
                    : ParameterValues.typed(rule, rule.defaultValue()));
        });
        return new GroupValues(group.getId(), group.getName(), group.getTenantId(), group.getDatastoreVersionId(),
                typed, rules.restartRequired(stored.keySet()), defaults, known);
    }

    private Configuration visible(AuthContext caller, String id) {
        return groups.findByIdAndDeletedFalse(id)
                .filter(c -> caller.admin() || c.getTenantId().equals(caller.projectId()))
                .orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("Configuration group with ID " + id + " could not be found.");
    }

    private DatastoreService.Resolved version(Configuration group) {
        DatastoreService.Resolved ds = datastores.resolveAll(Set.of(group.getDatastoreVersionId()))
                .get(group.getDatastoreVersionId());
        if (ds == null) {
            throw ApiException.badRequest("Datastore version '" + group.getDatastoreVersionId()
                    + "' cannot be found.");
        }
        return ds;
    }

    private ParameterValues rules(DatastoreService.Resolved ds) {
        return new ParameterValues(parameters.rules(ds.version().getId()), ds.datastore().getName(),
                ds.version().getName());
    }

    private ConfigurationViews.Detail detail(Configuration c, DatastoreService.Resolved ds, Map<String, String> stored,
                                             long instanceCount) {
        ParameterValues rules = rules(ds);
        Map<String, JsonNode> shown = new LinkedHashMap<>();
        stored.forEach((name, text) -> shown.put(name, Masking.isSecret(name)
                ? TextNode.valueOf("***") : rules.typed(name, text)));
        return new ConfigurationViews.Detail(c.getId(), c.getName(), c.getDescription(), shown,
                Timestamps.format(c.getCreated()), Timestamps.format(c.getUpdated()), instanceCount,
                ds.datastore().getName(), c.getDatastoreVersionId(), ds.version().getName(),
                ds.version().getVersion());
    }

    private static ConfigurationViews.Summary summary(Configuration c, DatastoreService.Resolved ds) {
        return new ConfigurationViews.Summary(c.getId(), c.getName(), c.getDescription(),
                Timestamps.format(c.getCreated()), Timestamps.format(c.getUpdated()), c.getDatastoreVersionId(),
                ds == null ? null : ds.datastore().getName(), ds == null ? null : ds.version().getName());
    }
}
