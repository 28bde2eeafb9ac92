package org.trovej.taskmanager.pitr;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.objectstore.SwiftAccount;
import org.trovej.common.rpc.RpcContext;
import org.trovej.taskmanager.backup.ObjectStoreAccounts;
import org.trovej.taskmanager.rpc.PeriodicWork;

/**
 * Deletes shipped log that no restore can use any more (beyond Trove): pieces older than the oldest backup their
 * instance's log continues, as retention or a user deleted the backups before them, and every piece of an
 * instance that has no such backup left (its instance deleted and its backups with it). The objects go first, then
 * the row; an object already gone is fine, and a piece whose delete fails is tried again at the next turn.
 */
@Component
public class LogShipmentPruning implements PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(LogShipmentPruning.class);
    private static final int BATCH = 200;

    private final LogShipmentRecords shipments;
    private final ObjectStoreAccounts accounts;
    private final PointInTimeProperties properties;

    public LogShipmentPruning(LogShipmentRecords shipments, ObjectStoreAccounts accounts,
                              PointInTimeProperties properties) {
        this.shipments = shipments;
        this.accounts = accounts;
        this.properties = properties;
    }

    @Override
    public String name() {
        return "shipped log pruning";
    }

    @Override
    public Duration interval() {
        return properties.pollInterval().multipliedBy(6);
    }

    @Override
    public void tick() {
        if (!accounts.grantsWithoutUser()) {
            return;
        }
        List<LogShipmentRecords.Piece> unusable = shipments.unusable(BATCH);
        int deleted = 0;
        for (LogShipmentRecords.Piece piece : unusable) {
            try {
                ObjectLocation location = ObjectLocation.parse(piece.location());
                if (!location.object().startsWith(piece.instanceId() + ".log.")) {
                    throw new IllegalArgumentException("the object " + location.object() + " is not the instance's "
                            + "shipped log");
                }
                SwiftAccount account = accounts.account(RpcContext.user(null, piece.tenantId(), false),
                        piece.tenantId(), location.container(), location.object());
                account.delete(location.container(), location.object());
                for (String leftover : account.list(location.container(), location.object() + "_")) {
                    account.delete(location.container(), leftover);
                }
                shipments.markDeleted(piece.id());
                deleted++;
            } catch (RuntimeException e) {
                log.warn("Shipped log {} of instance {} not deleted (tried again later): {}", piece.location(),
                        piece.instanceId(), e.getMessage());
            }
        }
        if (deleted > 0) {
            log.info("Deleted {} piece(s) of shipped log no restore can use", deleted);
        }
    }
}
