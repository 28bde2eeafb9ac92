package org.trovej.api.backup;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.error.ApiException;
import org.trovej.service.quota.QuotaResources;
import org.trovej.service.quota.QuotaService;
import org.trovej.api.web.Timestamps;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.taskmanager.TaskManagerClient;

/**
 * {@code DELETE /backups/{id}} (trove/backup/models.py Backup.delete): the incrementals taken on top of the backup
 * go first (the caller's own, or any for an admin), then the backup. Each is one {@code delete_backup} cast inside
 * Trove's run_with_quotas ({@code backups} -1); the task manager removes the objects and marks the record deleted.
 * A running backup younger than {@code running-expires} is refused (422) — checked for the whole tree before the
 * first cast, so a refused delete casts nothing.
 */
@Service
public class BackupDeleteService {

    private static final Logger log = LoggerFactory.getLogger(BackupDeleteService.class);

    private final BackupRepository backups;
    private final BackupQueryService queries;
    private final QuotaService quotas;
    private final TaskManagerClient taskManager;
    private final TransactionTemplate readOnly;
    private final Policy policy;
    private final BackupProperties properties;

    public BackupDeleteService(BackupRepository backups, BackupQueryService queries, QuotaService quotas,
                               TaskManagerClient taskManager, TransactionTemplate tx, Policy policy,
                               BackupProperties properties) {
        this.backups = backups;
        this.queries = queries;
        this.quotas = quotas;
        this.taskManager = taskManager;
        this.readOnly = new TransactionTemplate(tx.getTransactionManager());
        this.readOnly.setReadOnly(true);
        this.policy = policy;
        this.properties = properties;
    }

    public void delete(AuthContext caller, String id, String requestId) {
        List<Backup> doomed = readOnly.execute(s -> {
            Backup backup = queries.visible(caller, id);
            policy.enforce(caller, "backup:delete", backup.getTenantId());
            List<Backup> order = new ArrayList<>();
            childrenFirst(caller, backup, order, new HashSet<>());
            LocalDateTime now = Timestamps.nowUtc();
            for (Backup b : order) {
                if (b.isRunning() && (b.getCreated() == null
                        || b.getCreated().plus(properties.runningExpires()).isAfter(now))) {
                    throw ApiException.unprocessable("Backup " + b.getId() + " cannot be deleted because it is "
                            + "running.");
                }
            }
            return order;
        });
        RpcContext context = caller.toRpcContext(requestId);
        for (Backup b : doomed) {
            Runnable cast = () -> taskManager.deleteBackup(context, b.getId());
            if (b.getTenantId() == null) {
                cast.run();
            } else {
                quotas.runWithQuotas(b.getTenantId(), Map.of(QuotaResources.BACKUPS, -1), () -> {
                    cast.run();
                    return null;
                });
            }
            log.info("Backup {} of project {} is being deleted", b.getId(), b.getTenantId());
        }
    }

    /** The backup's tree, depth first, every backup after its incrementals. */
    private void childrenFirst(AuthContext caller, Backup backup, List<Backup> order, Set<String> seen) {
        if (!seen.add(backup.getId())) {
            return;
        }
        for (Backup child : backups.findByParentIdAndDeletedFalseOrderById(backup.getId())) {
            // Trove skips an incremental it cannot load for the caller (another project's)
            if (BackupQueryService.isVisible(caller, child)) {
                childrenFirst(caller, child, order, seen);
            }
        }
        order.add(backup);
    }
}
