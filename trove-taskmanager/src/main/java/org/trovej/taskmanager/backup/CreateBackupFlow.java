package org.trovej.taskmanager.backup;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.BackupState;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.taskmanager.flow.Claim;
import org.trovej.taskmanager.flow.FaultText;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.flow.StepFailure;

/**
 * {@code create_backup} (Trove's BuiltInstanceTasks.create_backup): the instance is claimed, the guest is cast
 * {@code create_backup} with the request's {@code backup_info} plus {@code swift_url}, its context's
 * {@code auth_token} a grant to {@code <container>/<backup_id>} of the backup's project; the flow is then handed
 * over at {@link #AWAITING} to the {@link BackupMonitor}, which ends it when the backup has left NEW, BUILDING and
 * SAVING, or fails the backup when the guest dies or the backup runs past {@code trovej.backup.timeout}. Holding the
 * instance meanwhile keeps other operations off it, as Trove's BACKUP status does; the instance's task is not set
 * (the API derives BACKUP from the running backup).
 * <p>
 * The message is acknowledged once the cast is out. A task manager that dies before that has the message
 * redelivered (or the flow resumed) at {@link #CAST}: the cast is sent again only while the backup is still NEW. A
 * guest's first act on {@code create_backup} is to report BUILDING, so a backup that has left NEW has been
 * received; the one case left (the guest got the first cast but has not reported yet) may deliver the cast twice,
 * and the guest ignores a {@code create_backup} for a backup it is already running. Sending it once more is the
 * lesser harm: a cast never sent would leave the backup NEW until the timeout.
 */
@Component
public class CreateBackupFlow extends InstanceFlow {

    public static final String NAME = "create_backup";
    static final String CAST = "cast_backup";
    public static final String AWAITING = "awaiting_backup";
    static final String BACKUP_INFO = "backup_info";
    static final String BACKUP_ID = "backup_id";

    private final BackupRecords backups;
    private final ObjectStoreAccounts accounts;

    public CreateBackupFlow(InstanceFlowParts parts, BackupRecords backups, ObjectStoreAccounts accounts) {
        super(NAME, CAST, "backup", parts);
        this.backups = backups;
        this.accounts = accounts;
    }

    /** The request's backup_info (no secret in it) and the backup's id, kept with the flow for resumption. */
    @Override
    protected ObjectNode initialData(RpcArgs args) {
        BackupRequest request = BackupRequest.fromWire(args.required(BACKUP_INFO));
        ObjectNode data = PythonJson.object();
        data.put(BACKUP_ID, request.id());
        data.set(BACKUP_INFO, request.toWire());
        return data;
    }

    @Override
    protected void run(RpcContext context, String instanceId, Claim claim, ObjectNode requested) {
        String backupId = requested.path(BACKUP_ID).asText();
        if (claim instanceof Claim.Claimed claimed && !backupId.equals(claimed.run().data().path(BACKUP_ID).asText())
                && AWAITING.equals(claimed.run().step()) && ended(claimed.run().data().path(BACKUP_ID).asText())) {
            // the instance's flow is the previous backup's, which has ended (the API saw it COMPLETED and let this
            // one in) before the monitor's next poll closed its flow: closed here, and this backup starts
            store.close(claimed.run(), () -> { });
            log.info("Instance {}: backup {} had ended; starting backup {}", instanceId,
                    claimed.run().data().path(BACKUP_ID).asText(), backupId);
            claim = store.claim(instanceId, NAME, CAST, requested, null, false);
        }
        if (claim instanceof Claim.Claimed claimed && !backupId.equals(claimed.run().data().path(BACKUP_ID).asText())) {
            // the instance's flow is another backup's, left behind by a task manager that is gone: this request
            // finishes that one's start and refuses itself (the API lets one backup run at a time)
            FlowRun other = claimed.run();
            backups.failIfRunning(backupId, "Another backup of the instance was running ("
                    + other.data().path(BACKUP_ID).asText() + ")");
            if (AWAITING.equals(other.step())) {
                store.handOver(other, AWAITING);
            } else {
                execute(context, other);
            }
            return;
        }
        super.run(context, instanceId, claim, requested); // a retry-later leaves the backup NEW for the next try
        if (claim instanceof Claim.Busy busy && !busy.sameFlow()) {
            backups.failIfRunning(backupId, "The instance was busy (" + busy.flow() + ")");
        } else if (claim instanceof Claim.Gone) {
            backups.failIfRunning(backupId, "The instance is gone");
        }
    }

    /** Whether the backup has left NEW, BUILDING and SAVING (or is gone): what the monitor ends a flow on. */
    private boolean ended(String backupId) {
        return backups.find(backupId).map(b -> b.deleted() || b.state() == null || !b.state().running()).orElse(true);
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String backupId = run.data().path(BACKUP_ID).asText();
        if (AWAITING.equals(run.step())) {
            // the cast went out before the task manager that sent it could acknowledge the message
            store.handOver(run, AWAITING);
            return;
        }
        engine.execute(run, List.of(new Step(CAST, r -> cast(context, r))),
                r -> {
                    store.handOver(r, AWAITING);
                    log.info("Instance {}: backup {} with the guest; watching it", r.instanceId(), backupId);
                },
                (r, step, cause) -> store.close(r, () -> {
                    String reason = "The backup could not be started: " + FaultText.reason(cause);
                    if (backups.failIfRunning(backupId, reason)) {
                        log.error("Instance {}: backup {} FAILED: {}", r.instanceId(), backupId, reason);
                    }
                }));
    }

    private void cast(RpcContext context, FlowRun run) {
        BackupRequest request = BackupRequest.fromWire(run.data().get(BACKUP_INFO));
        BackupRow backup = backups.find(request.id())
                .orElseThrow(() -> new StepFailure("backup " + request.id() + " does not exist"));
        if (backup.deleted() || backup.state() != BackupState.NEW) {
            log.info("Instance {}: backup {} is {} already; not cast again", run.instanceId(), backup.id(),
                    backup.deleted() ? "deleted" : backup.state());
            return;
        }
        if (request.storageDriver() != null && !request.storageDriver().isEmpty()
                && !"swift".equals(request.storageDriver())) {
            throw new StepFailure("storage driver " + request.storageDriver() + " is not supported");
        }
        String project = backup.tenantId() != null ? backup.tenantId() : instance(run.instanceId()).tenantId();
        ObjectNode args = PythonJson.object();
        args.set(BACKUP_INFO, request.withSwiftUrl(accounts.swiftUrl(context, project)).toWire());
        // an incremental starts from its parent's metadata (PostgreSQL's last WAL file, InnoDB's LSN)
        List<String> parent = request.parent() == null || request.parent().location() == null
                ? List.of() : List.of(request.parent().location());
        guests.cast(accounts.guestContext(context, project, request.container(), request.id(), parent),
                run.instanceId(), NAME, args);
    }
}
