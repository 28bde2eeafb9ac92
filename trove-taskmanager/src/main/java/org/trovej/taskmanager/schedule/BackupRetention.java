package org.trovej.taskmanager.schedule;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.pitr.RestorePoints;
import org.trovej.service.quota.QuotaResources;
import org.trovej.service.quota.QuotaService;
import org.trovej.taskmanager.backup.DeleteBackupTask;
import org.trovej.taskmanager.flow.FlowExecutor;

/**
 * Deletes the scheduled backups that have expired ({@link RetentionPlan}), oldest first, each as the API's delete
 * would (objects, then the record; {@code backups} quota given back by whichever task manager's delete marked it
 * deleted). Deletes run on the flow executor, never on the timer thread that also renews the flows' leases.
 */
@Component
public class BackupRetention {

    private static final Logger log = LoggerFactory.getLogger(BackupRetention.class);

    private final ScheduleRecords schedules;
    private final DeleteBackupTask deleteBackup;
    private final QuotaService quotas;
    private final FlowExecutor executor;
    private final RestorePoints restorePoints;
    /** Instances whose expired backups are being deleted here: one pass at a time per instance. */
    private final Set<String> deleting = ConcurrentHashMap.newKeySet();

    public BackupRetention(ScheduleRecords schedules, DeleteBackupTask deleteBackup, QuotaService quotas,
                           FlowExecutor executor, RestorePoints restorePoints) {
        this.restorePoints = restorePoints;
        this.schedules = schedules;
        this.deleteBackup = deleteBackup;
        this.quotas = quotas;
        this.executor = executor;
    }

    void apply() {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        Map<String, List<ScheduleRecords.Kept>> byInstance = schedules.backupsUnderRetention().stream()
                .collect(Collectors.groupingBy(ScheduleRecords.Kept::instanceId, LinkedHashMap::new,
                        Collectors.toList()));
        byInstance.forEach((instanceId, backups) -> {
            ScheduleRecords.Kept any = backups.get(0);
            // an instance with a restorable window keeps the backup the window's start needs
            boolean shipsLog = any.keepDays() != null && restorePoints.window(instanceId).isPresent();
            List<ScheduleRecords.Kept> expired = RetentionPlan.expired(backups, any.keepCount(), any.keepDays(), now,
                    shipsLog);
            if (expired.isEmpty() || !deleting.add(instanceId)) {
                return;
            }
            executor.submit("retention " + instanceId, () -> delete(instanceId, expired))
                    .whenComplete((r, e) -> deleting.remove(instanceId));
        });
    }

    private void delete(String instanceId, List<ScheduleRecords.Kept> expired) {
        for (ScheduleRecords.Kept backup : expired) {
            if (deleteBackup.delete(RpcContext.user(null, backup.tenantId(), false), backup.id())) {
                if (backup.tenantId() != null) {
                    quotas.release(backup.tenantId(), Map.of(QuotaResources.BACKUPS, 1));
                }
                log.info("Backup schedule of instance {}: backup {} of {} expired and was deleted", instanceId,
                        backup.id(), backup.slot());
            }
        }
    }
}
