package org.trovej.conductor.pitr;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.pitr.LogShipment;
import org.trovej.common.rpc.RpcFailure;

/**
 * TroveJ's {@code log_shipped} (point-in-time restore): a guest stored a piece of its transaction log, recorded as a
 * row of {@code log_shipments} (this module's owner of the table), cut at the moment the guest reports; or nothing
 * new was written since, which moves the newest row's {@code restorable_until} on. The guest waits for the answer and ships the piece again if it never
 * comes, so the same range may be recorded twice: restores take overlapping pieces in order, which is harmless.
 */
@Component
public class LogShipmentRecorder {

    private static final Logger log = LoggerFactory.getLogger(LogShipmentRecorder.class);

    private final JdbcTemplate jdbc;

    public LogShipmentRecorder(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void record(String instanceId, LogShipment shipment) {
        Timestamp until = Timestamp.valueOf(LocalDateTime.ofInstant(shipment.restorableUntil(), ZoneOffset.UTC));
        if (!shipment.stored()) {
            int moved = jdbc.update("UPDATE log_shipments SET restorable_until = ? WHERE id = (SELECT max(id) FROM "
                    + "log_shipments WHERE instance_id = ? AND deleted = false) AND last_position = ? "
                    + "AND restorable_until < ?", until, instanceId, shipment.lastPosition(), until);
            log.debug("log_shipped from {}: nothing new since {}, restorable until {} ({} row moved)", instanceId,
                    shipment.lastPosition(), shipment.restorableUntil(), moved);
            return;
        }
        String object;
        try {
            object = ObjectLocation.parse(shipment.location()).object();
        } catch (IllegalArgumentException e) {
            throw new RpcFailure("builtins", "ValueError", "log_shipped: " + e.getMessage());
        }
        if (!object.startsWith(instanceId + ".log.")) {
            // the task manager grants reads of these objects to restores and deletes them when unusable: a guest
            // may only name its own shipped log
            throw new RpcFailure("trove.common.exception", "NotAuthorized", "log_shipped: object " + object
                    + " is not instance " + instanceId + "'s shipped log");
        }
        int inserted = jdbc.update("INSERT INTO log_shipments (instance_id, tenant_id, location, checksum, "
                + "first_position, last_position, cut_at, restorable_until, size, after_gap, created) "
                + "SELECT id, tenant_id, ?, ?, ?, ?, ?, ?, ?, ?, timezone('UTC', now()) FROM instances "
                + "WHERE id = ? AND deleted = false", shipment.location(), shipment.checksum(),
                shipment.firstPosition(), shipment.lastPosition(), until, until, shipment.size(), shipment.afterGap(),
                instanceId);
        if (inserted == 0) {
            log.warn("log_shipped from {}: no such live instance; nothing recorded", instanceId);
        } else {
            log.info("Instance {} shipped log {}..{} ({} bytes), restorable until {}{}", instanceId,
                    shipment.firstPosition(), shipment.lastPosition(), shipment.size(), shipment.restorableUntil(),
                    shipment.afterGap() ? ", after a gap" : "");
        }
    }
}
