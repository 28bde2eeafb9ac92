package org.trovej.api.instance;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;
import org.trovej.api.ApiProperties;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.backup.BackupService;
import org.trovej.api.configuration.Configuration;
import org.trovej.api.configuration.ConfigurationRepository;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.error.ApiException;
import org.trovej.api.pitr.PointInTimeRestores;
import org.trovej.api.schedule.InstanceBackupSchedules;
import org.trovej.api.web.Timestamps;
import org.trovej.common.status.ServiceStatus;

/**
 * Loads instances for a caller the way Trove does: a caller sees its own project's instances, an admin any
 * instance by id; anything else is "not found", so other projects' ids are not even confirmed to exist. A view
 * is read in one query (a list page too, whatever its size); only replicas and a detail list's faults, when
 * there are any, take one more. Runs inside the caller's transaction.
 */
@Component
class InstanceLoader {

    private final InstanceRepository instances;
    private final InstanceServiceStatusRepository statuses;
    private final InstanceFaultRepository faults;
    private final BackupService backups;
    private final ApiProperties properties;
    private final ConfigurationRepository configurations;
    private final InstanceBackupSchedules schedules;
    private final PointInTimeRestores restoreWindows;

    InstanceLoader(InstanceRepository instances, InstanceServiceStatusRepository statuses,
                   InstanceFaultRepository faults, BackupService backups, ApiProperties properties,
                   ConfigurationRepository configurations, InstanceBackupSchedules schedules,
                   PointInTimeRestores restoreWindows) {
        this.schedules = schedules;
        this.restoreWindows = restoreWindows;
        this.configurations = configurations;
        this.instances = instances;
        this.statuses = statuses;
        this.faults = faults;
        this.backups = backups;
        this.properties = properties;
    }

    /** The instance, locked for a change: its state is checked and changed in one transaction. */
    Instance lock(AuthContext caller, String id) {
        return visible(caller, id, instances.lockById(id).orElse(null));
    }

    /** The instance as the caller may see it, not locked. */
    Instance visible(AuthContext caller, String id) {
        return visible(caller, id, instances.findByIdAndDeletedFalse(id).orElse(null));
    }

    InstanceServiceStatus serviceStatus(Instance instance) {
        return statuses.findByInstanceId(instance.getId())
                .orElseThrow(() -> ApiException.resourceNotFound(instance.getId()));
    }

    /** The state an action is judged on: stored statuses, no heartbeat expiry (as Trove's Instance.load). */
    InstanceState actionState(Instance instance, InstanceServiceStatus status) {
        return new InstanceState(instance.getTask(), instance.getServerStatus(), status.getStatus(),
                backups.running(instance.getId()));
    }

    /** Everything the detail view of one instance shows. */
    InstanceViews.Loaded detail(AuthContext caller, String id) {
        InstanceViewRow row = instances.detailRow(id, Limit.of(1)).stream().findFirst().orElse(null);
        visible(caller, id, row == null ? null : row.instance());
        return withConfigurationName(loaded(row, row.fault(), row.replicas() == 0 ? List.of()
                : replicaIds(List.of(row)).get(id), Timestamps.nowUtc()));
    }

    /** The management API's detail: any project's instance, a deleted one only when asked for. */
    InstanceViews.Loaded anyDetail(String id, boolean includeDeleted) {
        InstanceViewRow row = instances.anyDetailRow(id, Limit.of(1)).stream()
                .filter(r -> includeDeleted || !r.instance().isDeleted()).findFirst()
                .orElseThrow(() -> ApiException.resourceNotFound(id));
        return withConfigurationName(loaded(row, row.fault(), row.replicas() == 0 ? List.of()
                : replicaIds(List.of(row)).get(id), Timestamps.nowUtc()));
    }

    private InstanceViews.Loaded withConfigurationName(InstanceViews.Loaded loaded) {
        String configurationId = loaded.instance().getConfigurationId();
        InstanceViews.Loaded named = configurationId == null ? loaded : loaded.withConfigurationName(
                configurations.findById(configurationId).map(Configuration::getName).orElse(null));
        String id = loaded.instance().getId();
        return named.withExtensions(schedules.of(id).orElse(null), restoreWindows.of(id).orElse(null));
    }

    /** One page of the caller's list and what its views need. */
    List<InstanceViews.Loaded> page(AuthContext caller, boolean includeClustered, String marker, int limit,
                                    boolean withFaults) {
        return loadedRows(instances.page(caller.projectId(), includeClustered, marker, Limit.of(limit)), withFaults);
    }

    /** One page of the management list: all projects or one, deleted or not or either; with faults. */
    List<InstanceViews.Loaded> mgmtPage(String projectId, Boolean deleted, boolean includeClustered, String marker,
                                        int limit) {
        return loadedRows(instances.mgmtPage(projectId, deleted, includeClustered, marker, Limit.of(limit)), true);
    }

    private List<InstanceViews.Loaded> loadedRows(List<InstanceViewRow> rows, boolean withFaults) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> replicas = replicaIds(rows.stream().filter(r -> r.replicas() > 0).toList());
        Map<String, InstanceFault> newestFaults = withFaults
                ? faults.findByInstanceIdInAndDeletedFalseOrderByUpdatedDesc(
                        rows.stream().map(r -> r.instance().getId()).toList()).stream()
                .collect(Collectors.toMap(InstanceFault::getInstanceId, Function.identity(), (newer, older) -> newer))
                : Map.of();
        LocalDateTime now = Timestamps.nowUtc();
        return rows.stream().map(r -> loaded(r, newestFaults.get(r.instance().getId()),
                replicas.getOrDefault(r.instance().getId(), List.of()), now)).toList();
    }

    List<Instance> replicasOf(Instance instance) {
        return instances.replicasOf(List.of(instance.getId())).stream()
                .filter(r -> r.getTenantId() != null && r.getTenantId().equals(instance.getTenantId())).toList();
    }

    private InstanceViews.Loaded loaded(InstanceViewRow row, InstanceFault fault, List<String> replicaIds,
                                        LocalDateTime now) {
        Instance instance = row.instance();
        InstanceServiceStatus status = row.status();
        // heartbeat expiry applies to lists too: Trove's Instances._load_servers_status calls update_service_status
        ServiceStatus live = InstanceState.liveStatus(instance.getTask(), status.getStatus(), status.getUpdatedAt(),
                properties.agentHeartbeatExpiry(), now);
        InstanceState state = new InstanceState(instance.getTask(), instance.getServerStatus(), live,
                row.runningBackups() > 0);
        DatastoreService.Resolved datastore = row.version() == null || row.datastore() == null ? null
                : new DatastoreService.Resolved(row.datastore(), row.version());
        return new InstanceViews.Loaded(instance, state, status, datastore, fault, replicaIds);
    }

    /** The replicas of these instances in their owners' projects, by owner. */
    private Map<String, List<String>> replicaIds(List<InstanceViewRow> primaries) {
        if (primaries.isEmpty()) {
            return Map.of();
        }
        Map<String, String> owners = primaries.stream()
                .collect(Collectors.toMap(r -> r.instance().getId(), r -> String.valueOf(r.instance().getTenantId())));
        return instances.replicasOf(owners.keySet()).stream()
                .filter(r -> owners.get(r.getSlaveOfId()).equals(r.getTenantId()))
                .collect(Collectors.groupingBy(Instance::getSlaveOfId,
                        Collectors.mapping(Instance::getId, Collectors.toList())));
    }

    private static Instance visible(AuthContext caller, String id, Instance instance) {
        if (instance == null || (!caller.admin() && !caller.projectId().equals(instance.getTenantId()))) {
            throw ApiException.resourceNotFound(id);
        }
        return instance;
    }
}
