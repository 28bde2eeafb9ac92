package org.trovej.taskmanager.schedule;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.backup.BackupParent;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.BackupType;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.service.quota.QuotaRefused;
import org.trovej.service.quota.QuotaResources;
import org.trovej.service.quota.QuotaService;
import org.trovej.service.schedule.BackupCron;
import org.trovej.taskmanager.backup.BackupRecords;
import org.trovej.taskmanager.backup.CreateBackupFlow;
import org.trovej.taskmanager.instance.InstanceRecords;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * Runs backup schedules (TroveJ's extension): every poll, each schedule whose slot has come is claimed by moving it
 * on to its next slot in one conditional update, so of several task managers exactly one runs a slot, and a slot
 * that came while none ran (a restart) is run once when one is back; several missed slots make one backup, not a
 * burst. The slot's backup is recorded NEW under the project's {@code backups} quota (the API's engine), then
 * started as the {@code create_backup} flow an API request would start. A slot that cannot make a backup (the
 * instance busy, not running, over quota) says why on the schedule, and the next slot tries again. Each poll then
 * lets {@link BackupRetention} delete what has expired.
 */
@Component
public class BackupScheduler {

    private static final Logger log = LoggerFactory.getLogger(BackupScheduler.class);
    private static final Set<String> RUNNING = Set.of("healthy", "running");
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ScheduleRecords schedules;
    private final InstanceRecords instances;
    private final BackupRecords backups;
    private final QuotaService quotas;
    private final CreateBackupFlow createBackup;
    private final BackupRetention retention;

    public BackupScheduler(ScheduleRecords schedules, InstanceRecords instances, BackupRecords backups,
                           QuotaService quotas, CreateBackupFlow createBackup, BackupRetention retention) {
        this.schedules = schedules;
        this.instances = instances;
        this.backups = backups;
        this.quotas = quotas;
        this.createBackup = createBackup;
        this.retention = retention;
    }

    public void tick() {
        schedules.dropDeleted();
        for (ScheduleRecords.Due due : schedules.due(100)) {
            try {
                run(due);
            } catch (RuntimeException e) {
                log.warn("Backup schedule of instance {}: slot {} failed: {}", due.instanceId(), due.slot(),
                        e.toString());
            }
        }
        retention.apply();
    }

    private void run(ScheduleRecords.Due due) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        BackupCron cron = BackupCron.parse(due.cron(), due.timezone());
        LocalDateTime next = cron.nextAfter(now.isAfter(due.slot()) ? now : due.slot());
        if (next == null) {
            next = now.plusYears(100); // cannot happen for a cron the API accepted; never run again rather than spin
        }
        if (!schedules.claim(due.instanceId(), due.slot(), next)) {
            return; // another task manager took the slot, or the schedule was replaced
        }
        String refused = start(due, cron);
        if (refused != null) {
            schedules.skipped(due.instanceId(), due.slot(), refused);
            log.info("Backup schedule of instance {}: slot {} made no backup: {}", due.instanceId(), due.slot(),
                    refused);
        }
    }

    /** Starts the slot's backup; or says why there is none. */
    private String start(ScheduleRecords.Due due, BackupCron cron) {
        String id = due.instanceId();
        InstanceRow instance = instances.find(id).filter(i -> !i.deleted()).orElse(null);
        if (instance == null) {
            return "The instance is gone.";
        }
        if (instance.taskId() != InstanceTask.NONE.code()) {
            return "The instance was busy (" + InstanceTask.fromCode(instance.taskId()).name() + ").";
        }
        if (!RUNNING.contains(instance.serviceStatus())) {
            return "The instance's database was not running (" + instance.serviceStatus() + ").";
        }
        if (backups.runningOf(id)) {
            return "Another backup of the instance was running.";
        }
        BackupRecords.Scheduled parent = parent(id, due.fullEvery());
        String backupId = UUID.randomUUID().toString();
        String type = parent == null ? BackupType.FULL : BackupType.INCREMENTAL;
        String name = "scheduled " + due.slot().atOffset(ZoneOffset.UTC).atZoneSameInstant(cron.zone())
                .format(NAME_TIME) + " " + cron.zone().getId();
        try {
            quotas.runWithQuotas(due.tenantId(), Map.of(QuotaResources.BACKUPS, 1), () -> {
                backups.createScheduled(backupId, name, id, due.tenantId(), type,
                        parent == null ? null : parent.id(), instance.datastoreVersionId(), due.slot());
                return null;
            });
        } catch (QuotaRefused e) {
            return e.getMessage();
        }
        schedules.ran(id, due.slot(), backupId);
        BackupRequest request = new BackupRequest(backupId, name, "Scheduled backup", id, type, null,
                parent == null ? null : new BackupParent(parent.location(), parent.checksum()),
                instance.datastoreManager(), instance.datastoreVersion(), "swift",
                schedules.container(due.tenantId(), id), null);
        ObjectNode args = PythonJson.object();
        args.put("instance_id", id);
        args.set("backup_info", request.toWire());
        createBackup.start(RpcContext.user(null, due.tenantId(), false), new RpcArgs(CreateBackupFlow.NAME, args));
        log.info("Backup schedule of instance {}: slot {}: {} backup {} started", id, due.slot(), type, backupId);
        return null;
    }

    /** The parent of the slot's backup, or null for a full one ({@link ScheduledChain}). */
    private BackupRecords.Scheduled parent(String instanceId, int fullEvery) {
        return fullEvery <= 1 ? null : ScheduledChain.parent(backups.newestScheduled(instanceId,
                Math.min(2 * fullEvery + 10, 5000)), fullEvery);
    }
}
