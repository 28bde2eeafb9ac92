package org.trovej.taskmanager.create;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.rpc.RpcContext;
import org.trovej.taskmanager.replication.ReplicaSnapshots;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;
import org.trovej.taskmanager.TaskManagerProperties;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerStatus;
import org.trovej.taskmanager.flow.FlowMetrics;
import org.trovej.taskmanager.flow.FlowStore;
import org.trovej.taskmanager.instance.BuildState;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * The end of every build, driven by the database alone so that any task manager, restarted or not, finishes
 * what any other started. Each poll looks at the builds waiting for their guest and at builds past their
 * deadline (Trove's {@code _service_is_active} polling, plus a watchdog):
 * <ul>
 *   <li>guest {@code healthy}/{@code running} → task NONE;</li>
 *   <li>guest {@code failed to spawn}, or any status a build never passes through → error 0x5b and a fault
 *   with the guest's own report and its log;</li>
 *   <li>the server gone or stopped (the guest process died) → error 0x5b and a fault with its log;</li>
 *   <li>past the deadline, whatever step it was at, or a build whose request never arrived → error 0x5b,
 *   service {@code guestagent error}, and a fault naming the step reached and the guest's last status.</li>
 * </ul>
 * A failed build's server, volume and ports are then deleted ({@link BuildCleanup}).
 */
@Component
public class BuildMonitor {

    private static final Logger log = LoggerFactory.getLogger(BuildMonitor.class);
    private static final Set<String> DONE = Set.of(ServiceStatus.HEALTHY.description(),
            ServiceStatus.RUNNING.description(), ServiceStatus.INSTANCE_READY.description());
    /** Statuses a build goes through on its way to healthy (Trove's list). */
    private static final Set<String> STILL_BUILDING = Set.of(ServiceStatus.NEW.description(),
            ServiceStatus.BUILDING.description(), ServiceStatus.UNKNOWN.description(),
            ServiceStatus.DELETED.description());

    private final FlowStore store;
    private final FlowMetrics metrics;
    private final InstanceRecords records;
    private final ComputeDriver compute;
    private final BuildCleanup cleanup;
    private final ReplicaSnapshots snapshots;
    private final Duration buildTimeout;
    private final Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public BuildMonitor(FlowStore store, InstanceRecords records, ComputeDriver compute,
                        TaskManagerProperties properties, BuildCleanup cleanup, ReplicaSnapshots snapshots,
                        FlowMetrics metrics) {
        this.metrics = metrics;
        this.snapshots = snapshots;
        this.cleanup = cleanup;
        this.store = store;
        this.records = records;
        this.compute = compute;
        this.buildTimeout = properties.buildTimeout();
    }

    public void tick() {
        for (BuildState build : records.buildsToCheck(CreateInstanceFlow.NAME, CreateInstanceFlow.AWAITING_GUEST,
                buildTimeout)) {
            try {
                check(build);
            } catch (RuntimeException e) {
                log.warn("Build of {}: check failed, trying again at the next poll: {}", build.id(), e.toString());
            }
        }
    }

    private void check(BuildState build) {
        boolean waiting = CreateInstanceFlow.AWAITING_GUEST.equals(build.flowStep());
        String status = build.serviceStatus();
        if (waiting && status != null && DONE.contains(status)) {
            if (store.closeUnowned(build.id(), CreateInstanceFlow.NAME, CreateInstanceFlow.AWAITING_GUEST,
                    () -> records.setTask(build.id(), InstanceTask.NONE))) {
                log.info("Instance {} is ready ({}, {} s)", build.id(), status, build.ageSeconds());
                metrics.ended(CreateInstanceFlow.NAME, FlowMetrics.Outcome.SUCCEEDED);
                snapshots.release(RpcContext.service(), build.seedBackupId());
            }
            return;
        }
        if (waiting && status != null && !STILL_BUILDING.contains(status)) {
            // the guest's own account of the failure (its notify_exc_info, recorded by the conductor), if it sent one
            String report = records.latestGuestFault(build.id()).map(m -> ": " + m).orElse("");
            if (report.isEmpty() && failedOnce.add(build.id())) {
                return; // the guest's own fault follows its status through the conductor: give it one poll
            }
            failedOnce.remove(build.id());
            fail(build, "The guest agent could not set up the database (status: " + status + ")" + report, false);
            return;
        }
        if (waiting && build.serverId() != null) {
            Optional<Server> server = compute.findServer(build.serverId());
            if (server.isEmpty() || server.get().status() != ServerStatus.ACTIVE) {
                String state = server.map(s -> s.status() + (s.fault() == null ? "" : ": " + s.fault()))
                        .orElse("gone");
                server.ifPresent(s -> records.setServerStatus(build.id(), s.status().name()));
                fail(build, "The server stopped before the guest agent reported the database up (server "
                        + state + ")", false);
                return;
            }
        }
        if (build.overdue()) {
            String where = build.flowless() ? ": no build was started (the request never reached a task manager)"
                    : " at step " + build.flowStep();
            fail(build, "Build timed out after " + build.ageSeconds() + " s" + where + " (guest status: "
                    + (status == null ? "none" : status) + ")", true);
        }
    }

    private void fail(BuildState build, String message, boolean timeout) {
        StringBuilder details = new StringBuilder("Server type: taskmanager\n");
        details.append("Flow create of instance ").append(build.id()).append(", ")
                .append(build.flowStep() == null ? "no flow" : "step " + build.flowStep()).append('\n');
        details.append(message).append('\n');
        if (build.serverId() != null) {
            List<String> console = CreateInstanceFlow.consoleSection(compute.consoleLog(build.serverId(), 40));
            if (!console.isEmpty()) {
                details.append('\n');
                console.forEach(line -> details.append(line).append('\n'));
            }
        }
        Runnable outcome = () -> {
            records.setTask(build.id(), InstanceTask.BUILDING_ERROR_TIMEOUT_GA);
            if (build.serverId() == null) {
                records.setServerStatus(build.id(), "ERROR"); // as CreateInstanceFlow's failures: deletable after a reset
            }
            if (timeout) {
                records.setServiceStatus(build.id(), ServiceStatus.FAILED_TIMEOUT_GUESTAGENT);
            }
            records.recordFault(build.id(), message, details.toString());
        };
        boolean applied = build.flowless()
                ? store.closeAny(build.id(), null, outcome)
                : build.overdue() && !CreateInstanceFlow.AWAITING_GUEST.equals(build.flowStep())
                        ? store.closeAny(build.id(), CreateInstanceFlow.NAME, outcome)
                        : store.closeUnowned(build.id(), CreateInstanceFlow.NAME, build.flowStep(), outcome);
        if (applied) {
            log.error("Instance {} build failed: {}", build.id(), message);
            metrics.ended(CreateInstanceFlow.NAME, FlowMetrics.Outcome.FAILED);
            snapshots.release(RpcContext.service(), build.seedBackupId());
            // the console's last lines are in the fault: nothing else needs the server any more
            List<String> left = cleanup.release(build.id(), build.serverId(), null);
            if (!left.isEmpty()) {
                records.recordFault(build.id(), message, details + "\n" + String.join("\n", left));
            }
        }
    }
}
