package org.trovej.api.backup;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.error.ApiException;
import org.trovej.api.validation.AccountSchemas;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;
import org.trovej.api.web.Timestamps;

/**
 * {@code /backup_strategies} (trove/backup/service.py BackupStrategyController, models.py BackupStrategy): the
 * container a project's backups go to, per instance or project-wide ({@code instance_id} ""). Create replaces the
 * container of an existing strategy; another project's strategies are an admin's business only (403 Trove's
 * TroveOperationAuthError); deleting one that does not exist is not an error.
 */
@Service
public class BackupStrategyService {

    private static final Logger log = LoggerFactory.getLogger(BackupStrategyService.class);

    private final BackupStrategyRepository strategies;
    private final TransactionTemplate tx;
    private final Policy policy;

    public BackupStrategyService(BackupStrategyRepository strategies, TransactionTemplate tx, Policy policy) {
        this.strategies = strategies;
        this.tx = tx;
        this.policy = policy;
    }

    public BackupViews.StrategyView create(AuthContext caller, JsonNode body) {
        AccountSchemas.body(body, "backup_strategy", BackupStrategyService::strategy).throwIfAny();
        policy.enforce(caller, "backup_strategy:create", caller.projectId());
        JsonNode data = body.get("backup_strategy");
        String instanceId = data.has("instance_id") ? data.get("instance_id").textValue()
                : BackupStrategy.PROJECT_WIDE;
        String container = data.get("swift_container").textValue();
        BackupStrategy saved = tx.execute(s -> {
            strategies.upsert(UUID.randomUUID().toString(), caller.projectId(), instanceId, container,
                    Timestamps.nowUtc());
            return strategies.findByTenantIdAndInstanceId(caller.projectId(), instanceId).orElseThrow();
        });
        log.info("Backup strategy of project {} for instance '{}': container {}", caller.projectId(), instanceId,
                container);
        return BackupViews.strategy(saved);
    }

    /** @param projectId the {@code project_id} query parameter, null when absent */
    public List<BackupViews.StrategyView> list(AuthContext caller, String instanceId, String projectId) {
        String tenant = tenant(caller, projectId);
        policy.enforce(caller, "backup_strategy:index", caller.projectId());
        return tx.execute(s -> strategies.list(tenant, instanceId == null || instanceId.isEmpty() ? null : instanceId)
                .stream().map(BackupViews::strategy).toList());
    }

    /** @param instanceId null when absent: the project-wide strategy */
    public void delete(AuthContext caller, String instanceId, String projectId) {
        String tenant = tenant(caller, projectId);
        policy.enforce(caller, "backup_strategy:delete", caller.projectId());
        String instance = instanceId == null ? BackupStrategy.PROJECT_WIDE : instanceId;
        int deleted = tx.execute(s -> strategies.deleteOne(tenant, instance));
        log.info("Backup strategy of project {} for instance '{}' deleted: {}", tenant, instance, deleted > 0);
    }

    private static String tenant(AuthContext caller, String projectId) {
        String tenant = projectId == null ? caller.projectId() : projectId;
        if (!tenant.equals(caller.projectId()) && !caller.admin()) {
            throw ApiException.forbidden("Operation not allowed for tenant " + caller.projectId() + ".");
        }
        return tenant;
    }

    /** Trove's backup_strategy schema: a closed object, {@code swift_container} required. */
    private static boolean strategy(Violations v, String path, JsonNode n) {
        if (!Schemas.object(v, path, n)) {
            return false;
        }
        Schemas.onlyProperties(v, path, n, Set.of("instance_id", "swift_container"));
        Schemas.required(v, path, n, "swift_container");
        if (n.has("instance_id")) {
            Schemas.uuid(v, Violations.key(path, "instance_id"), n.get("instance_id"));
        }
        if (n.has("swift_container")) {
            Schemas.nonEmptyString(v, Violations.key(path, "swift_container"), n.get("swift_container"));
        }
        return true;
    }
}
