package org.trovej.taskmanager.backup;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.backup.BackupState;
import org.trovej.common.json.PythonJson;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerStatus;
import org.trovej.taskmanager.flow.FlowMetrics;
import org.trovej.taskmanager.flow.FlowStore;
import org.trovej.taskmanager.instance.AwaitingFlow;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * The end of every backup, driven by the database alone so that any task manager, restarted or not, finishes what
 * any other started (as the build monitor does for builds). Each poll looks at the {@code create_backup} flows
 * handed over at {@link CreateBackupFlow#AWAITING}:
 * <ul>
 *   <li>the backup has left NEW, BUILDING and SAVING (the guest reported COMPLETED or FAILED through the
 *   conductor), or it is gone → the flow ends;</li>
 *   <li>the guest is dead: its server gone or not ACTIVE (on the local back end: the agent's process has exited),
 *   or no heartbeat for {@code trovej.backup.heartbeat-expiry} → the backup FAILED with that reason, the flow
 *   ends;</li>
 *   <li>the backup still running {@code trovej.backup.timeout} after it was requested → FAILED, the flow ends.</li>
 * </ul>
 * And a running backup without such a flow (its instance deleted meanwhile, which takes the instance from the
 * flow) fails too, so that no backup stays BUILDING for ever.
 * <p>
 * The backup is failed only while it is still running, in the transaction that ends the flow: a report arriving
 * at the same moment wins, and of several task managers exactly one ends the flow.
 */
@Component
public class BackupMonitor {

    private static final Logger log = LoggerFactory.getLogger(BackupMonitor.class);
    /** How long a running backup may be without a flow on its instance before it is taken for lost. */
    static final Duration UNWATCHED_GRACE = Duration.ofMinutes(10);

    private final FlowStore store;
    private final FlowMetrics metrics;
    private final InstanceRecords instances;
    private final BackupRecords backups;
    private final ComputeDriver compute;
    private final BackupProperties properties;

    public BackupMonitor(FlowStore store, InstanceRecords instances, BackupRecords backups, ComputeDriver compute,
                         BackupProperties properties, FlowMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.instances = instances;
        this.backups = backups;
        this.compute = compute;
        this.properties = properties;
    }

    public void tick() {
        for (String backupId : backups.runningWithoutFlow(UNWATCHED_GRACE)) {
            if (backups.failIfRunning(backupId, "The backup's instance was deleted, or its task manager lost the "
                    + "backup, before it finished")) {
                log.error("Backup {} FAILED: nothing watches it any more (its instance deleted?)", backupId);
            }
        }
        for (AwaitingFlow flow : instances.awaitingFlows(CreateBackupFlow.NAME, CreateBackupFlow.AWAITING)) {
            try {
                check(flow);
            } catch (RuntimeException e) {
                log.warn("Backup on {}: check failed, trying again at the next poll: {}", flow.instanceId(),
                        e.toString());
            }
        }
    }

    private void check(AwaitingFlow flow) {
        String backupId = backupId(flow);
        Optional<BackupRow> backup = backupId == null ? Optional.empty() : backups.find(backupId);
        if (backup.isEmpty() || backup.get().deleted() || backup.get().state() == null
                || !backup.get().state().running()) {
            if (end(flow, null)) {
                boolean completed = backup.isPresent() && !backup.get().deleted()
                        && backup.get().state() == BackupState.COMPLETED;
                metrics.ended(CreateBackupFlow.NAME, completed ? FlowMetrics.Outcome.SUCCEEDED
                        : FlowMetrics.Outcome.FAILED);
                log.info("Instance {}: backup {} ended {}", flow.instanceId(), backupId,
                        backup.map(b -> b.deleted() ? "deleted" : String.valueOf(b.state())).orElse("(gone)"));
            }
            return;
        }
        String dead = deadGuest(flow);
        if (dead != null) {
            fail(flow, backupId, "The guest agent was lost during the backup: " + dead);
        } else if (backup.get().ageSeconds() > properties.timeout().toSeconds()) {
            fail(flow, backupId, "The backup timed out: still " + backup.get().state() + " after "
                    + backup.get().ageSeconds() + " s (trovej.backup.timeout is " + properties.timeout().toSeconds()
                    + " s)");
        }
    }

    /** Why the guest is taken for dead, or null while it lives. */
    private String deadGuest(AwaitingFlow flow) {
        if (flow.serverId() == null) {
            return "the instance has no server";
        }
        Optional<Server> server = compute.findServer(flow.serverId());
        if (server.isEmpty()) {
            return "its server is gone";
        }
        if (server.get().status() != ServerStatus.ACTIVE) {
            return "it is not running (server " + server.get().status()
                    + (server.get().fault() == null ? "" : ": " + server.get().fault()) + ")";
        }
        Long silent = flow.heartbeatAgeSeconds();
        if (silent != null && silent > properties.heartbeatExpiry().toSeconds()) {
            return "it sent no heartbeat for " + silent + " s (last status: " + flow.serviceStatus() + ")";
        }
        return null;
    }

    private void fail(AwaitingFlow flow, String backupId, String reason) {
        boolean[] failed = new boolean[1];
        if (end(flow, () -> failed[0] = backups.failIfRunning(backupId, reason))) {
            metrics.ended(CreateBackupFlow.NAME, FlowMetrics.Outcome.FAILED);
        }
        if (failed[0]) {
            log.error("Instance {}: backup {} FAILED: {}", flow.instanceId(), backupId, reason);
        }
    }

    private boolean end(AwaitingFlow flow, Runnable outcome) {
        return store.closeUnowned(flow.instanceId(), CreateBackupFlow.NAME, CreateBackupFlow.AWAITING,
                outcome == null ? () -> { } : outcome);
    }

    private static String backupId(AwaitingFlow flow) {
        if (flow.flowData() == null) {
            return null;
        }
        try {
            String id = PythonJson.parse(flow.flowData()).path(CreateBackupFlow.BACKUP_ID).asText(null);
            return id == null || id.isEmpty() ? null : id;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
