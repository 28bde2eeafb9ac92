package org.trovej.api.backup;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.datastore.DatastoreVersion;
import org.trovej.api.error.ApiException;
import org.trovej.service.quota.QuotaResources;
import org.trovej.service.quota.QuotaService;
import org.trovej.api.web.Timestamps;
import org.trovej.common.backup.BackupParent;
import org.trovej.common.backup.BackupRequest;
import org.trovej.service.taskmanager.TaskManagerClient;

/**
 * {@code POST /backups} (trove/backup/service.py create, models.py Backup.create): Trove's checks in Trove's order
 * before anything is written, then, inside Trove's run_with_quotas ({@code backups} +1), the NEW record in one
 * transaction and, once it is committed, the {@code create_backup} cast. A refused request writes nothing; a cast
 * the broker refuses gives the quota back and leaves the record deleted. With {@code restore_from} an existing
 * backup is registered as RESTORED, and nothing is cast.
 */
@Service
public class BackupCreateService {

    private static final Logger log = LoggerFactory.getLogger(BackupCreateService.class);

    private final BackupRepository backups;
    private final BackupStrategyRepository strategies;
    private final BackupQueryService queries;
    private final BackupInstances instances;
    private final DatastoreService datastores;
    private final QuotaService quotas;
    private final TaskManagerClient taskManager;
    private final TransactionTemplate tx;
    private final Policy policy;

    public BackupCreateService(BackupRepository backups, BackupStrategyRepository strategies,
                               BackupQueryService queries, BackupInstances instances, DatastoreService datastores,
                               QuotaService quotas, TaskManagerClient taskManager, TransactionTemplate tx,
                               Policy policy) {
        this.backups = backups;
        this.strategies = strategies;
        this.queries = queries;
        this.instances = instances;
        this.datastores = datastores;
        this.quotas = quotas;
        this.taskManager = taskManager;
        this.tx = tx;
        this.policy = policy;
    }

    /** What was checked and is about to be recorded and cast. */
    private record Plan(BackupInstances.Target target, DatastoreService.Resolved datastore, Backup parent,
                        String container) {
    }

    public BackupViews.BackupView create(AuthContext caller, JsonNode body, String requestId) {
        BackupCreateSpec spec = BackupCreateReader.read(body);
        policy.enforce(caller, "backup:create", caller.projectId());
        BackupCreateReader.checkContainer(spec.swiftContainer());
        if (spec.storageDriver() != null && !Backup.STORAGE_DRIVER.equals(spec.storageDriver())) {
            throw ApiException.badRequest("Storage driver '" + spec.storageDriver() + "' is not supported: backups "
                    + "are stored through Swift's API ('" + Backup.STORAGE_DRIVER + "').");
        }
        if (spec.restoreFrom() != null) {
            return register(caller, spec);
        }
        if (spec.instanceId() == null) {
            throw ApiException.badRequest("instance is missing.");
        }
        Plan plan = tx.execute(s -> plan(caller, spec));
        String id = UUID.randomUUID().toString();
        Backup created = quotas.runWithQuotas(caller.projectId(), Map.of(QuotaResources.BACKUPS, 1), () -> {
            Backup backup = tx.execute(s -> {
                // checked again under the instance's lock: another backup may have started since
                instances.lockForBackup(caller, spec.instanceId());
                return backups.save(Backup.requested(id, spec.name(), spec.description(), caller.projectId(),
                        plan.target().instanceId(), plan.parent() == null ? null : plan.parent().getId(),
                        plan.target().datastoreVersionId(), Timestamps.nowUtc()));
            });
            cast(caller, requestId, backup, plan);
            return backup;
        });
        log.info("Backup {} ({}) of instance {} requested by project {}: {}, container {}", id, spec.name(),
                spec.instanceId(), caller.projectId(), created.getBackupType(),
                plan.container() == null ? "(default)" : plan.container());
        return queries.views(List.of(created)).get(0);
    }

    private Plan plan(AuthContext caller, BackupCreateSpec spec) {
        // Trove looks the strategy up before the instance, in the caller's project
        String container = spec.swiftContainer() != null ? spec.swiftContainer()
                : strategies.findByTenantIdAndInstanceId(caller.projectId(), spec.instanceId())
                .or(() -> strategies.findByTenantIdAndInstanceId(caller.projectId(), BackupStrategy.PROJECT_WIDE))
                .map(BackupStrategy::getSwiftContainer).orElse(null);
        BackupInstances.Target target = instances.lockForBackup(caller, spec.instanceId());
        DatastoreService.Resolved datastore = target.datastoreVersionId() == null ? null
                : datastores.resolveAll(Set.of(target.datastoreVersionId())).get(target.datastoreVersionId());
        if (datastore == null) {
            throw ApiException.badRequest("Datastore version '" + target.datastoreVersionId()
                    + "' cannot be found.");
        }
        Backup parent = null;
        if (spec.parentId() != null) {
            parent = queries.visible(caller, spec.parentId());
            if (!target.instanceId().equals(parent.getInstanceId())) {
                // Trove takes any parent; an increment on another instance's backup could never be restored
                throw ApiException.badRequest("Backup " + spec.parentId() + " is not a backup of instance "
                        + target.instanceId() + ".");
            }
        } else if (spec.incremental()) {
            parent = backups.newestCompleted(target.instanceId(), caller.admin() ? null : caller.projectId(),
                    Limit.of(1)).stream().findFirst().orElse(null);
        }
        return new Plan(target, datastore, parent, container);
    }

    private void cast(AuthContext caller, String requestId, Backup backup, Plan plan) {
        Backup parent = plan.parent();
        BackupRequest request = new BackupRequest(backup.getId(), backup.getName(), backup.getDescription(),
                backup.getInstanceId(), backup.getBackupType(), backup.getChecksum(),
                parent == null ? null : new BackupParent(parent.getLocation(), parent.getChecksum()),
                plan.datastore().datastore().getName(), plan.datastore().version().getName(),
                backup.getStorageDriver(), plan.container(), null);
        try {
            taskManager.createBackup(caller.toRpcContext(requestId), request);
        } catch (RuntimeException e) {
            log.error("Cast create_backup of backup {} could not be sent; the backup is marked deleted",
                    backup.getId(), e);
            abandon(backup.getId());
            throw e;
        }
    }

    private void abandon(String id) {
        try {
            tx.executeWithoutResult(s -> backups.findById(id).ifPresent(b -> b.markAbandoned(Timestamps.nowUtc())));
        } catch (RuntimeException e) {
            log.error("Backup {}, whose create could not be cast, could not be marked deleted", id, e);
        }
    }

    /**
     * {@code restore_from}: a backup stored elsewhere becomes one of the project's, RESTORED, with the location and
     * size given (Trove also reads the object's checksum and type from the store; here the location is recorded as
     * given and the restore verifies the object).
     */
    private BackupViews.BackupView register(AuthContext caller, BackupCreateSpec spec) {
        BackupCreateSpec.RestoreFrom from = spec.restoreFrom();
        DatastoreVersion version = datastores.loadVersionByUuid(from.localDatastoreVersionId());
        String parentId = spec.parentId() == null ? null
                : tx.execute(s -> queries.visible(caller, spec.parentId()).getId());
        String id = UUID.randomUUID().toString();
        Backup registered = quotas.runWithQuotas(caller.projectId(), Map.of(QuotaResources.BACKUPS, 1),
                () -> tx.execute(s -> backups.save(Backup.registered(id, spec.name(), spec.description(),
                        caller.projectId(), parentId, version.getId(), from.remoteLocation(), from.size(),
                        Timestamps.nowUtc()))));
        log.info("Backup {} ({}) registered for project {} from {}", id, spec.name(), caller.projectId(),
                from.remoteLocation());
        return queries.views(List.of(registered)).get(0);
    }
}
