package org.trovej.api.schedule;

import java.time.LocalDateTime;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.backup.BackupInstances;
import org.trovej.api.error.ApiException;
import org.trovej.api.web.Timestamps;
import org.trovej.service.schedule.BackupCron;

/**
 * An instance's backup schedule (TroveJ's extension; Trove has none of its own): shown, set (replacing the one
 * there, from its next slot) and removed, by whoever may see the instance, under the policy rules
 * {@code backup_schedule:show}, {@code :update} and {@code :delete} (unregistered in Trove, so judged by its
 * {@code default} rule, admin or owner). The task managers run it; removing it keeps the backups it made.
 */
@Service
public class BackupScheduleService {

    private static final Logger log = LoggerFactory.getLogger(BackupScheduleService.class);

    private final BackupScheduleRecords records;
    private final BackupInstances instances;
    private final Policy policy;

    public BackupScheduleService(BackupScheduleRecords records, BackupInstances instances, Policy policy) {
        this.records = records;
        this.instances = instances;
        this.policy = policy;
    }

    @Transactional(readOnly = true)
    public BackupScheduleView show(AuthContext caller, String instanceId) {
        String owner = instances.visibleOwner(caller, instanceId);
        policy.enforce(caller, "backup_schedule:show", owner);
        return records.find(instanceId).map(BackupScheduleView::of).orElseThrow(() -> ApiException.notFound(
                "Instance " + instanceId + " has no backup schedule."));
    }

    @Transactional
    public BackupScheduleView set(AuthContext caller, String instanceId, JsonNode body) {
        BackupScheduleSpec spec = BackupScheduleReader.read(body);
        String owner = instances.visibleOwner(caller, instanceId);
        policy.enforce(caller, "backup_schedule:update", owner);
        LocalDateTime now = Timestamps.nowUtc();
        LocalDateTime next = BackupCron.parse(spec.cron(), spec.timezone()).nextAfter(now);
        records.upsert(instanceId, owner, spec, next, now);
        log.info("Backup schedule of instance {} set: '{}' in {}, keep {} / {} days, full every {}; next {}",
                instanceId, spec.cron(), spec.timezone(), spec.keepCount(), spec.keepDays(), spec.fullEvery(), next);
        return records.find(instanceId).map(BackupScheduleView::of).orElseThrow();
    }

    @Transactional
    public void delete(AuthContext caller, String instanceId) {
        String owner = instances.visibleOwner(caller, instanceId);
        policy.enforce(caller, "backup_schedule:delete", owner);
        if (!records.delete(instanceId)) {
            throw ApiException.notFound("Instance " + instanceId + " has no backup schedule.");
        }
        log.info("Backup schedule of instance {} removed", instanceId);
    }
}
