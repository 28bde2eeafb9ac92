package org.trovej.guestagent.pitr;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.pitr.LogShipment;
import org.trovej.common.pitr.LogShippingTarget;
import org.trovej.guestagent.backup.BackupPipeline;
import org.trovej.guestagent.backup.BackupRunner;
import org.trovej.guestagent.backup.Backups;
import org.trovej.guestagent.conductor.ConductorClient;

/**
 * Point-in-time restore's shipping (TroveJ's, beyond Trove): every {@link LogShippingTarget#intervalSeconds} the
 * engine closes its current log file ({@link LogShipper}) and what is new is stored as one object beside the
 * backups (compressed, encrypted and checksummed as they are) and recorded by the conductor ({@code log_shipped}),
 * which moves the instance's restorable window on. Shipping starts with the task manager's
 * {@code set_log_shipping} cast, which it repeats before the cast's store token expires; it runs on its own thread,
 * never holding up heartbeats or operations.
 * <p>
 * A piece counts as shipped only once the conductor answered: if the store or the conductor fails, the same log
 * goes again at the next turn, in an object of its own, and the window never has a hole it does not know of.
 */
public final class LogShipping implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogShipping.class);

    private final Backups backups;
    private final ConductorClient conductor;
    private final LogShipper shipper;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "trove-log-shipping");
        thread.setDaemon(true);
        return thread;
    });
    private Target target;
    private ScheduledFuture<?> turns;
    private String lastFailure;

    /** Where and how often, with the token the store takes for it. */
    private record Target(LogShippingTarget where, String token) {
    }

    public LogShipping(Backups backups, ConductorClient conductor, LogShipper shipper) {
        this.backups = backups;
        this.conductor = conductor;
        this.shipper = shipper;
    }

    /** {@code set_log_shipping}: ships to {@code where} from now on (the first turn at once), with {@code token}. */
    public synchronized void configure(LogShippingTarget where, String token) {
        boolean sameInterval = target != null && target.where().intervalSeconds() == where.intervalSeconds();
        target = new Target(where, token);
        if (turns == null || !sameInterval) {
            if (turns != null) {
                turns.cancel(false);
            } else {
                log.info("Shipping the transaction log to {}/{} every {} s", where.swiftUrl(), where.container(),
                        where.intervalSeconds());
            }
            turns = timer.scheduleWithFixedDelay(this::turnQuietly, 0, where.intervalSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * {@code set_log_shipping} without a target: no backup of the instance needs its log any more. Shipping stops
     * and the engine forgets where it was, so that the next start ships from the newest backup on.
     */
    public synchronized void stop() {
        if (turns != null) {
            turns.cancel(false);
            turns = null;
            log.info("Shipping the transaction log stopped: no backup needs it");
        }
        target = null;
        timer.execute(() -> {
            try {
                shipper.forget();
            } catch (IOException | RuntimeException e) {
                log.warn("Could not reset the log shipping position: {}", BackupRunner.describe(e));
            }
        });
    }

    private synchronized Target target() {
        return target;
    }

    private void turnQuietly() {
        try {
            turn();
            if (lastFailure != null) {
                log.info("Shipping the transaction log works again");
                lastFailure = null;
            }
        } catch (IOException | RuntimeException e) {
            String reason = BackupRunner.describe(e);
            // once per distinct failure: a store that is away for an hour must not fill the log
            if (!reason.equals(lastFailure)) {
                log.warn("Shipping the transaction log failed (tried again every turn): {}", reason);
                lastFailure = reason;
            }
        }
    }

    /** One turn: close the current file, store what is new, have the conductor record it. */
    void turn() throws IOException {
        Target current = target();
        if (current == null) {
            return;
        }
        LogBatch batch = shipper.nextBatch().orElse(null);
        if (batch == null) {
            return;
        }
        if (batch.empty()) {
            conductor.logShipped(LogShipment.idle(batch.last(), batch.restorableUntil()));
            return;
        }
        LogShippingTarget where = current.where();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("Log-First", batch.first());
        metadata.put("Log-Last", batch.last());
        metadata.put("Restorable-Until", batch.restorableUntil().toString());
        long started = System.nanoTime();
        BackupPipeline.Stored stored = backups.storeLog(where.swiftUrl(), current.token(), where.container(),
                where.objectPrefix(), batch, metadata);
        conductor.logShipped(new LogShipment(stored.location(), stored.md5(), batch.first(), batch.last(),
                batch.restorableUntil(), stored.storedBytes(), batch.afterGap()));
        shipper.shipped(batch);
        log.info("Shipped {} log file(s) {}..{} in {} ms ({} bytes stored){}", batch.files().size(), batch.first(),
                batch.last(), (System.nanoTime() - started) / 1_000_000, stored.storedBytes(),
                batch.afterGap() ? ", after a gap" : "");
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
