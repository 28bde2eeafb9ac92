package org.trovej.conductor.inventory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.trovej.conductor.ConductorProperties;

/**
 * What an operator watches across the fleet, read from the control-plane database every
 * {@code trovej.conductor.inventory-interval} (not per request, so the series stay few and steady):
 * <ul>
 * <li>{@code trovej_instances{status}}: instances by the status the API shows;</li>
 * <li>{@code trovej_instance_status{instance_id,tenant,status,health}} = 1, and
 * {@code trovej_instance_heartbeat_age_seconds{instance_id,tenant}}, {@code trovej_instance_volume_size_bytes} and
 * {@code trovej_instance_volume_used_bytes} (as the guest last reported it): one series per instance (off with
 * {@code trovej.conductor.instance-gauges=false} for fleets too large for that);</li>
 * <li>{@code trovej_backups{state}}: backups by state, FAILED ones included whoever failed them.</li>
 * </ul>
 * Every conductor reads the same rows, so with several of them an alert aggregates with {@code max}.
 */
@Component
public class InventoryGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InventoryGauges.class);
    private static final double BYTES_PER_GB = 1024d * 1024 * 1024;

    private final InventoryRecords records;
    private final ConductorProperties properties;
    private final SteadyMultiGauge instancesByStatus;
    private final SteadyMultiGauge instanceStatus;
    private final SteadyMultiGauge heartbeatAge;
    private final SteadyMultiGauge volumeSize;
    private final SteadyMultiGauge volumeUsed;
    private final SteadyMultiGauge backupsByState;
    private final SteadyMultiGauge logShippingLag;
    private ScheduledExecutorService timer;

    public InventoryGauges(InventoryRecords records, ConductorProperties properties, MeterRegistry registry) {
        this.records = records;
        this.properties = properties;
        instancesByStatus = new SteadyMultiGauge(MultiGauge.builder("trovej.instances")
                .description("Instances by the status the API shows").register(registry));
        instanceStatus = new SteadyMultiGauge(MultiGauge.builder("trovej.instance.status")
                .description("1 for each instance, labelled with its status and its guest's health")
                .register(registry));
        heartbeatAge = new SteadyMultiGauge(MultiGauge.builder("trovej.instance.heartbeat.age").baseUnit("seconds")
                .description("Seconds since the instance's last heartbeat was applied").register(registry));
        volumeSize = new SteadyMultiGauge(MultiGauge.builder("trovej.instance.volume.size").baseUnit("bytes")
                .description("Size of the instance's volume").register(registry));
        volumeUsed = new SteadyMultiGauge(MultiGauge.builder("trovej.instance.volume.used").baseUnit("bytes")
                .description("Space used on the instance's volume, as its guest last reported it")
                .register(registry));
        backupsByState = new SteadyMultiGauge(MultiGauge.builder("trovej.backups")
                .description("Backups (not deleted) by state").register(registry));
        logShippingLag = new SteadyMultiGauge(MultiGauge.builder("trovej.instance.pitr.lag").baseUnit("seconds")
                .description("Seconds since the end of the instance's point-in-time restore window: how much of its "
                        + "recent history a restore would miss").register(registry));
    }

    /** Reads the rows once and updates every series: an instance deleted since the last read loses its own. */
    void refresh() {
        List<InventoryRecords.InstanceRow> instances = records.instances();
        Map<String, Integer> byStatus = new HashMap<>();
        Map<Tags, Double> status = new HashMap<>();
        Map<Tags, Double> ages = new HashMap<>();
        Map<Tags, Double> sizes = new HashMap<>();
        Map<Tags, Double> used = new HashMap<>();
        for (InventoryRecords.InstanceRow row : instances) {
            byStatus.merge(row.status(), 1, Integer::sum);
            if (properties.instanceGauges()) {
                Tags id = Tags.of("instance_id", row.id(), "tenant", row.tenantId() == null ? "" : row.tenantId());
                status.put(id.and("status", row.status(), "health", row.health()), 1d);
                if (row.heartbeatAgeSeconds() != null) {
                    ages.put(id, row.heartbeatAgeSeconds());
                }
                if (row.volumeSizeGb() != null) {
                    sizes.put(id, row.volumeSizeGb() * BYTES_PER_GB);
                }
                if (row.volumeUsedGb() != null) {
                    used.put(id, row.volumeUsedGb() * BYTES_PER_GB);
                }
            }
        }
        instancesByStatus.update(counts("status", byStatus));
        instanceStatus.update(status);
        heartbeatAge.update(ages);
        volumeSize.update(sizes);
        volumeUsed.update(used);
        backupsByState.update(counts("state", records.backupsByState()));
        Map<Tags, Double> lags = new HashMap<>();
        if (properties.instanceGauges()) {
            Map<String, String> tenants = new HashMap<>();
            instances.forEach(row -> tenants.put(row.id(), row.tenantId() == null ? "" : row.tenantId()));
            records.logShippingLags().forEach((id, lag) -> lags.put(Tags.of("instance_id", id, "tenant",
                    tenants.getOrDefault(id, "")), lag));
        }
        logShippingLag.update(lags);
    }

    private static Map<Tags, Double> counts(String tag, Map<String, Integer> counts) {
        Map<Tags, Double> rows = new HashMap<>();
        counts.forEach((value, count) -> rows.put(Tags.of(tag, value), count.doubleValue()));
        return rows;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // the database away: the gauges keep their last values until it is back
            log.debug("Inventory gauges not refreshed: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inventory-gauges");
            t.setDaemon(true);
            return t;
        });
        long period = properties.inventoryInterval().toMillis();
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
