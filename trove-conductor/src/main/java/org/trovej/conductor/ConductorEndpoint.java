package org.trovej.conductor;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.pitr.LogShipment;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.common.rpc.RpcFailure;
import org.trovej.common.status.ServiceStatus;
import org.trovej.conductor.backup.BackupProgressRecorder;
import org.trovej.conductor.fault.GuestFaultRecorder;
import org.trovej.conductor.heartbeat.HeartbeatRecorder;
import org.trovej.conductor.pitr.LogShipmentRecorder;
import org.trovej.conductor.root.RootReportRecorder;
import org.trovej.service.keys.InstanceKeyStore;

/**
 * The conductor's RPC API (version 1.0, casts from guests, and TroveJ's {@code log_shipped} call), mapped onto the
 * recorders.
 */
@Component
public class ConductorEndpoint {

    private static final Logger log = LoggerFactory.getLogger(ConductorEndpoint.class);

    private final HeartbeatRecorder heartbeats;
    private final BackupProgressRecorder backups;
    private final RootReportRecorder roots;
    private final GuestFaultRecorder faults;
    private final InstanceKeyStore keys;
    private final LogShipmentRecorder logShipments;

    public ConductorEndpoint(HeartbeatRecorder heartbeats, BackupProgressRecorder backups, RootReportRecorder roots,
                             GuestFaultRecorder faults, InstanceKeyStore keys, LogShipmentRecorder logShipments) {
        this.heartbeats = heartbeats;
        this.backups = backups;
        this.roots = roots;
        this.faults = faults;
        this.keys = keys;
        this.logShipments = logShipments;
    }

    public RpcEndpoint build() {
        return RpcEndpoint.builder("1.0")
                .async("heartbeat", (ctx, args) -> {
                    String instanceId = sender(ctx, args);
                    JsonNode payload = args.required("payload");
                    ServiceStatus status;
                    try {
                        status = ServiceStatus.fromDescription(payload.path("service_status").asText(null));
                    } catch (IllegalArgumentException e) {
                        throw new RpcFailure("builtins", "ValueError", e.getMessage());
                    }
                    // TroveJ's guest adds the volume's used space (GB); Trove's guests send only the status
                    JsonNode used = payload.path("volume_used");
                    Double volumeUsed = used.isNumber() && used.doubleValue() >= 0 ? used.doubleValue() : null;
                    return heartbeats.record(instanceId, status, sent(args), volumeUsed)
                            .thenApply(outcome -> NullNode.getInstance());
                })
                .sync("update_backup", (ctx, args) -> {
                    backups.record(sender(ctx, args), args.text("backup_id"), sent(args), args);
                    return null;
                })
                // TroveJ's (point-in-time restore): the guest calls and waits, counting the piece shipped on the answer
                .sync("log_shipped", (ctx, args) -> {
                    logShipments.record(sender(ctx, args), LogShipment.fromWire(args.required("shipment")));
                    return null;
                })
                .sync("report_root", (ctx, args) -> {
                    String user = args.optionalText("user");
                    roots.record(sender(ctx, args), user != null ? user : ctx.userId());
                    return null;
                })
                .sync("notify_exc_info", (ctx, args) -> {
                    JsonNode notification = args.optional("serialized_notification");
                    String instanceId = ctx.instanceId();
                    if (instanceId == null && notification != null && notification.hasNonNull("instance_id")) {
                        instanceId = notification.get("instance_id").asText();
                    }
                    if (instanceId == null) {
                        log.warn("notify_exc_info without an instance: nothing recorded");
                        return null;
                    }
                    faults.record(instanceId, args.optionalText("message"), args.optional("exception"));
                    return null;
                })
                .async("notify_end", (ctx, args) -> {
                    JsonNode notification = args.optional("serialized_notification");
                    log.info("guest notification end: {} (request {})",
                            notification == null ? "?" : notification.path("event_type").asText("?"), ctx.requestId());
                    return CompletableFuture.completedFuture(NullNode.getInstance());
                })
                .build();
    }

    /**
     * The instance a message speaks for. A message sealed with one instance's key may only speak for that
     * instance, and an instance that has a key only speaks sealed: Trove checks neither, so one guest could
     * report for another.
     */
    private String sender(RpcContext ctx, RpcArgs args) {
        String claimed = args.text("instance_id");
        String sealedBy = ctx.instanceId();
        if (sealedBy != null && !sealedBy.equals(claimed)) {
            throw new RpcFailure("trove.common.exception", "NotAuthorized",
                    "message sealed by instance " + sealedBy + " claims to be from " + claimed);
        }
        if (sealedBy == null && keys.keyOf(claimed) != null) {
            throw new RpcFailure("trove.common.exception", "NotAuthorized",
                    "unencrypted message for instance " + claimed + ", which uses secure messaging");
        }
        return claimed;
    }

    private static Double sent(RpcArgs args) {
        return args.optional("sent") == null ? null : args.number("sent");
    }
}
