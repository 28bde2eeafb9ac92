package org.trovej.taskmanager.compute.local;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.trovej.taskmanager.LifecyclePhases;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * The host's power, as the local back end sees it: when the task manager starts, the datastores this host can
 * run are registered and every instance whose server should be running (not deleted, server ACTIVE, not being
 * deleted) and is not gets its guest started again, as a compute host's servers come back after a reboot;
 * the guest starts its prepared database and heartbeats. When the task manager stops ({@code trovej down}),
 * every guest it runs is powered off, and with it its database.
 */
public class LocalHostPower implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LocalHostPower.class);

    private final InstanceRecords instances;
    private final LocalComputeDriver compute;
    private final LocalDatastoreRegistrar registrar;
    private volatile boolean running;

    public LocalHostPower(InstanceRecords instances, LocalComputeDriver compute, LocalDatastoreRegistrar registrar) {
        this.instances = instances;
        this.compute = compute;
        this.registrar = registrar;
    }

    @Override
    public void start() {
        running = true;
        try {
            registrar.register();
        } catch (RuntimeException e) {
            log.error("Could not register the local datastores: {}", e.toString());
        }
        List<String> shouldRun = instances.serverIdsThatShouldRun();
        List<String> here = compute.serverIds();
        for (String serverId : shouldRun) {
            if (!here.contains(serverId)) {
                continue; // another host's, or another state directory's
            }
            if (compute.isRunning(serverId)) {
                continue;
            }
            try {
                log.info("Powering server {} on again", serverId);
                compute.powerOn(serverId);
            } catch (RuntimeException e) {
                log.error("Could not power server {} on: {}", serverId, e.getMessage());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        List<String> on = compute.serverIds().stream().filter(compute::isRunning).toList();
        if (on.isEmpty()) {
            return;
        }
        log.info("Powering off {} local server(s)", on.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(on.size(), 8));
        try {
            List<Future<?>> stops = new java.util.ArrayList<>();
            on.forEach(id -> stops.add(pool.submit(() -> {
                compute.powerOff(id);
                instances.recordPoweredOff(id);
            })));
            for (Future<?> stop : stops) {
                try {
                    stop.get(2, TimeUnit.MINUTES);
                } catch (Exception e) {
                    log.warn("Powering a server off failed: {}", e.toString());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.LOCAL_SERVERS;
    }
}
