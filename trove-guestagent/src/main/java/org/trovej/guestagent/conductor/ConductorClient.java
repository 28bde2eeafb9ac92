package org.trovej.guestagent.conductor;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.json.PythonJson;
import org.trovej.common.pitr.LogShipment;
import org.trovej.common.rpc.ConductorGuestSerializer;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcSerializer;
import org.trovej.common.status.ServiceStatus;

/**
 * What the guest tells the conductor (conductor API 1.0): {@code heartbeat} and {@code update_backup} as casts, as
 * Trove's guest sends them; {@code notify_exc_info} as a call (see {@link #notifyExcInfo}). Values are sealed with the instance key in the conductor's wrapper, which names
 * this instance so the conductor knows which key opens them; without a key they travel plain.
 */
public final class ConductorClient {

    private static final String VERSION = "1.0";
    static final Duration FAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration LOG_SHIPPED_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(ConductorClient.class);

    private final String guestId;
    private final String tenantId;
    private final RpcClient.Target target;

    public ConductorClient(RpcClient client, String conductorTopic, String guestId, String tenantId, String key) {
        this.guestId = guestId;
        this.tenantId = tenantId;
        RpcSerializer serializer = key == null ? RpcSerializer.plain() : new ConductorGuestSerializer(key, guestId);
        this.target = client.target(conductorTopic, VERSION, serializer);
    }

    /** {@code heartbeat(instance_id, payload={"service_status": ...}, sent)}; sent is UNIX seconds. */
    public void heartbeat(ServiceStatus status, double sent) {
        heartbeat(status, sent, null);
    }

    /**
     * As {@link #heartbeat(ServiceStatus, double)}, with the volume's used space in GB in the payload
     * ({@code volume_used}, when known): TroveJ's conductor keeps it for show and the metrics; Trove's reads only
     * {@code service_status} from the payload (trove/conductor/manager.py).
     */
    public void heartbeat(ServiceStatus status, double sent, Double volumeUsedGb) {
        ObjectNode args = PythonJson.object();
        args.put("instance_id", guestId);
        ObjectNode payload = args.putObject("payload").put("service_status", status.description());
        if (volumeUsedGb != null) {
            payload.put("volume_used", volumeUsedGb);
        }
        args.put("sent", sent);
        target.cast(RpcContext.service(), "heartbeat", args);
    }

    /**
     * {@code update_backup(instance_id, backup_id, sent, **backup_fields)}: a backup's progress, as Trove's guest
     * sends it (state, size, backup_type, checksum, location, success, failure_reason). {@code sent} increases
     * strictly, so the conductor never takes an earlier update for a later one.
     */
    public void updateBackup(String backupId, ObjectNode fields) {
        ObjectNode args = PythonJson.object();
        args.put("instance_id", guestId);
        args.put("backup_id", backupId);
        args.put("sent", nextBackupSent());
        args.setAll(fields);
        target.cast(RpcContext.service(), "update_backup", args);
    }

    /**
     * TroveJ's {@code log_shipped(instance_id, sent, shipment)}: a piece of the transaction log is stored for
     * point-in-time restore, or nothing new was written ({@link LogShipment#idle}). A call, not a cast: the agent
     * counts the piece shipped only once the conductor has recorded it, so a lost message means the same log is
     * shipped again, never a hole in the window.
     */
    public void logShipped(LogShipment shipment) {
        ObjectNode args = PythonJson.object();
        args.put("instance_id", guestId);
        args.put("sent", nextBackupSent());
        args.set("shipment", shipment.toWire());
        target.call(RpcContext.service(), "log_shipped", args, LOG_SHIPPED_TIMEOUT);
    }

    private long lastBackupSentMicros;

    private synchronized double nextBackupSent() {
        java.time.Instant now = java.time.Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        if (micros <= lastBackupSentMicros) {
            micros = lastBackupSentMicros + 1;
        }
        lastBackupSentMicros = micros;
        return micros / 1_000_000.0;
    }

    /**
     * {@code notify_exc_info}: an operation failed; the conductor records it as the instance's fault. Trove's guest
     * casts it; this one calls and waits for the conductor's reply (any oslo server answers a call), so that the fault
     * is recorded before the failed status that follows it: as two casts, the conductor's workers could record the
     * status first, and a client that saw ERROR could read no fault yet. No reply within {@link #FAULT_TIMEOUT}: the
     * failure is logged and the caller goes on. The notification is the one the control plane put in the request's context (Trove's
     * {@code trove_notification}) when there is one, so the error is reported against the same event.
     */
    public void notifyExcInfo(RpcContext origin, String eventType, String message, List<String> traceback) {
        ObjectNode notification;
        JsonNode fromContext = origin == null ? null : origin.get("trove_notification");
        if (fromContext instanceof ObjectNode given) {
            notification = given.deepCopy();
        } else {
            notification = PythonJson.object();
            notification.put("notification_classname", "trove.common.notification.DBaaSInstanceCreate");
            notification.put("server_type", "guest");
            notification.put("request_id", origin == null ? null : origin.requestId());
            notification.put("tenant_id", tenantId);
            notification.putNull("client_ip");
            notification.putNull("server_ip");
        }
        notification.put("instance_id", guestId);
        if (!notification.has("event_type")) {
            notification.put("event_type", eventType);
        }
        ObjectNode args = PythonJson.object();
        args.set("serialized_notification", notification);
        args.put("message", message);
        ArrayNode lines = args.putArray("exception");
        traceback.forEach(lines::add);
        RpcContext context = origin == null ? RpcContext.service() : origin;
        try {
            target.call(context, "notify_exc_info", args, FAULT_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("The conductor did not confirm the fault ({}): it may be recorded late or not at all",
                    e.getMessage());
        }
    }
}
