package org.trovej.taskmanager.pitr;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.pitr.LogShippingTarget;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.backup.BackupRecords;
import org.trovej.taskmanager.backup.ObjectStoreAccounts;
import org.trovej.taskmanager.rpc.PeriodicWork;

/**
 * Starts and keeps up point-in-time restore's log shipping (beyond Trove): every instance with a completed backup
 * that records where its log continues ({@code log_position}) is cast {@code set_log_shipping}, with a store grant
 * to the objects {@code <instance id>.log.*} in the container of its newest such backup, and cast again every
 * {@link PointInTimeProperties#grantRenewal} so the grant never runs out. Several task managers each cast it: the
 * guest takes the newest and keeps its schedule. An instance this task manager granted that no longer has such a
 * backup (deleted by a user or retention) is cast {@code set_log_shipping} without a target, and its guest stops; a
 * task manager that restarted in between does not know it granted it, and the guest ships until its grant expires
 * ({@code trovej.backup.token-ttl}), the pieces then deleted as unusable ({@link LogShipmentPruning}).
 * <p>
 * Only an object store that can grant without a user's token (TroveJ's own, the local back end's) allows it; with
 * the cloud's Swift the guest would need a token of the project's that outlives the request (a Keystone trust),
 * which is not built yet, and instances there have no restorable window.
 */
@Component
public class LogShippingGrants implements PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(LogShippingGrants.class);
    static final String METHOD = "set_log_shipping";

    private final BackupRecords backups;
    private final ObjectStoreAccounts accounts;
    private final GuestAgentClient guests;
    private final PointInTimeProperties properties;
    /** When each instance was last cast its grant (nanoTime), by this task manager. */
    private final Map<String, Long> granted = new ConcurrentHashMap<>();
    private boolean unsupportedLogged;

    public LogShippingGrants(BackupRecords backups, ObjectStoreAccounts accounts, GuestAgentClient guests,
                             PointInTimeProperties properties) {
        this.backups = backups;
        this.accounts = accounts;
        this.guests = guests;
        this.properties = properties;
    }

    @Override
    public String name() {
        return "log shipping grants";
    }

    @Override
    public Duration interval() {
        return properties.pollInterval();
    }

    @Override
    public void tick() {
        List<BackupRecords.LogContinuation> candidates = backups.logContinuations();
        if (!accounts.grantsWithoutUser()) {
            if (!candidates.isEmpty() && !unsupportedLogged) {
                log.info("Point-in-time restore's log shipping needs TroveJ's own object store (the local back end); "
                        + "with Swift no instance ships its log");
                unsupportedLogged = true;
            }
            return;
        }
        Set<String> live = new HashSet<>();
        long now = System.nanoTime();
        for (BackupRecords.LogContinuation candidate : candidates) {
            live.add(candidate.instanceId());
            Long last = granted.get(candidate.instanceId());
            if (last != null && now - last < properties.grantRenewal().toNanos()) {
                continue;
            }
            try {
                grant(candidate);
                granted.put(candidate.instanceId(), now);
            } catch (RuntimeException e) {
                log.warn("Instance {}: set_log_shipping not cast: {}", candidate.instanceId(), e.getMessage());
            }
        }
        for (String gone : Set.copyOf(granted.keySet())) {
            if (!live.contains(gone)) {
                // its last such backup was deleted (or the instance): the guest stops until a new backup
                stop(gone);
                granted.remove(gone);
            }
        }
    }

    private void stop(String instanceId) {
        ObjectNode args = PythonJson.object();
        args.putNull("shipping");
        try {
            guests.cast(RpcContext.service(), instanceId, METHOD, args);
            log.info("Instance {}: no backup needs its log any more; log shipping stopped", instanceId);
        } catch (RuntimeException e) {
            log.warn("Instance {}: log shipping not stopped: {}", instanceId, e.getMessage());
        }
    }

    /** Casts the grant now (also right after an instance's first such backup, not to wait for the next poll). */
    void grant(BackupRecords.LogContinuation candidate) {
        String container = ObjectLocation.parse(candidate.location()).container();
        String prefix = candidate.instanceId() + ".log.";
        RpcContext context = accounts.guestContext(RpcContext.user(null, candidate.tenantId(), false),
                candidate.tenantId(), container, prefix, List.of());
        LogShippingTarget target = new LogShippingTarget(accounts.swiftUrl(context, candidate.tenantId()), container,
                prefix, (int) properties.shipInterval().toSeconds());
        ObjectNode args = PythonJson.object();
        args.set("shipping", target.toWire());
        guests.cast(context, candidate.instanceId(), METHOD, args);
        log.debug("Instance {}: log shipping granted to {}/{}*", candidate.instanceId(), container, prefix);
    }
}
