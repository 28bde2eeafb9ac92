package org.trovej.taskmanager.rpc;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.trovej.common.rpc.RpcSerializer;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.service.TroveProperties;
import org.trovej.service.db.DatabaseUnavailable;
import org.trovej.taskmanager.LifecyclePhases;
import org.trovej.taskmanager.TaskManagerProperties;
import org.trovej.taskmanager.backup.BackupMonitor;
import org.trovej.taskmanager.backup.BackupProperties;
import org.trovej.taskmanager.create.BuildMonitor;
import org.trovej.taskmanager.schedule.BackupScheduleProperties;
import org.trovej.taskmanager.schedule.BackupScheduler;
import org.trovej.taskmanager.replication.AutomaticFailover;
import org.trovej.taskmanager.replication.ReplicationProperties;
import org.trovej.taskmanager.create.BuildWakeups;
import org.trovej.taskmanager.flow.FlowExecutor;
import org.trovej.taskmanager.flow.FlowRecovery;
import org.trovej.taskmanager.flow.FlowStore;

/**
 * The task manager at work while the application runs: consuming the task manager topic (and
 * {@code <topic>.<host>}) with the task manager key, running the flows, watching builds and backups, keeping the flows'
 * leases and picking up orphaned flows. Stopping stops consuming first, then interrupts the flows (their
 * messages go back to the queue for the next task manager).
 */
@Component
public class TaskManagerServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskManagerServer.class);

    private final RpcTransport transport;
    private final TroveProperties trove;
    private final TaskManagerProperties properties;
    private final TaskManagerEndpoint endpoint;
    private final FlowExecutor executor;
    private final FlowStore store;
    private final BuildMonitor builds;
    private final FlowRecovery recovery;
    private final BuildWakeups wakeups;
    private final BackupMonitor backups;
    private final BackupProperties backupProperties;
    private final AutomaticFailover failover;
    private final ReplicationProperties replicationProperties;
    private final BackupScheduler schedules;
    private final BackupScheduleProperties scheduleProperties;
    private final List<PeriodicWork> periodic;
    private volatile RpcServer server;
    private ScheduledExecutorService timers;
    private Thread buildLoop;

    public TaskManagerServer(RpcTransport transport, TroveProperties trove, TaskManagerProperties properties,
                             TaskManagerEndpoint endpoint, FlowExecutor executor, FlowStore store,
                             BuildMonitor builds, FlowRecovery recovery, BuildWakeups wakeups,
                             BackupMonitor backups, BackupProperties backupProperties, AutomaticFailover failover,
                             ReplicationProperties replicationProperties, BackupScheduler schedules,
                             BackupScheduleProperties scheduleProperties, List<PeriodicWork> periodic) {
        this.periodic = List.copyOf(periodic);
        this.schedules = schedules;
        this.scheduleProperties = scheduleProperties;
        this.failover = failover;
        this.replicationProperties = replicationProperties;
        this.transport = transport;
        this.trove = trove;
        this.properties = properties;
        this.endpoint = endpoint;
        this.executor = executor;
        this.store = store;
        this.builds = builds;
        this.recovery = recovery;
        this.wakeups = wakeups;
        this.backups = backups;
        this.backupProperties = backupProperties;
    }

    @Override
    public boolean isAutoStartup() {
        return properties.autoStartup();
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        executor.start();
        TroveProperties.Keys keys = trove.keys();
        RpcSerializer serializer = keys.secureRpcMessaging()
                ? new SecureSerializer(keys.taskmanagerRpcEncrKey()) : RpcSerializer.plain();
        server = new RpcServer(transport, trove.rpc().taskmanagerQueue(), trove.rpc().host(), serializer,
                endpoint.build(), new RpcServer.Options(properties.rpcWorkers() * 4, properties.rpcWorkers())
                        .retryingLater(failure -> DatabaseUnavailable.causeIn(failure) != null))
                .start();
        timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "taskmanager-timer");
            t.setDaemon(true);
            return t;
        });
        long poll = properties.pollInterval().toMillis();
        long renew = properties.flowLease().toMillis() / 3;
        // one thread, so checks never overlap: a check, then wait for the next poll or a guest's report
        wakeups.start();
        Runnable check = guarded("build monitor", builds::tick);
        buildLoop = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    wakeups.await(poll);
                    check.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "build-monitor");
        buildLoop.setDaemon(true);
        buildLoop.start();
        timers.scheduleWithFixedDelay(guarded("lease renewal", store::renewLeases), renew, renew,
                TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(guarded("flow recovery", recovery::tick), poll * 5, poll * 5,
                TimeUnit.MILLISECONDS);
        long backupPoll = backupProperties.pollInterval().toMillis();
        timers.scheduleWithFixedDelay(guarded("backup monitor", backups::tick), backupPoll, backupPoll,
                TimeUnit.MILLISECONDS);
        long schedulePoll = scheduleProperties.pollInterval().toMillis();
        timers.scheduleWithFixedDelay(guarded("backup schedules", schedules::tick), schedulePoll, schedulePoll,
                TimeUnit.MILLISECONDS);
        for (PeriodicWork work : periodic) {
            long every = work.interval().toMillis();
            timers.scheduleWithFixedDelay(guarded(work.name(), work::tick), every, every, TimeUnit.MILLISECONDS);
        }
        if (failover.enabled()) {
            long failoverPoll = replicationProperties.checkInterval().toMillis();
            timers.scheduleWithFixedDelay(guarded("automatic failover", failover::tick), failoverPoll, failoverPoll,
                    TimeUnit.MILLISECONDS);
        }
        log.info("Task manager consuming '{}' (build timeout {} s{})", trove.rpc().taskmanagerQueue(),
                properties.buildTimeout().toSeconds(), failover.enabled() ? ", automatic failover after "
                        + replicationProperties.failoverAfter().toSeconds() + " s of silence" : "");
    }

    @Override
    public synchronized void stop() {
        RpcServer current = server;
        server = null;
        if (current != null) {
            current.close();
        }
        if (timers != null) {
            timers.shutdownNow();
            timers = null;
        }
        if (buildLoop != null) {
            buildLoop.interrupt();
            buildLoop = null;
        }
        wakeups.close();
        executor.stop();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.TASK_MANAGER;
    }

    public RpcServer rpcServer() {
        return server;
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed: {}", what, e.toString());
            }
        };
    }
}
