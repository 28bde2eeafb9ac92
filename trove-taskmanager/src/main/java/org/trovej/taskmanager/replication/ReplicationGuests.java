package org.trovej.taskmanager.replication;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.service.guest.GuestTimeouts;

/**
 * The guest's replication methods (Trove's guestagent/api.py names, arguments and kinds: all calls), as the task
 * manager's replication flows use them. Contexts passed between guests hold the replication user's password: they
 * are never logged or stored.
 */
@Component
public class ReplicationGuests {

    /** Above the guest's own 60 s wait for a transaction, so that its answer (not our timeout) ends the call. */
    private static final Duration WAIT_FOR_TXN = Duration.ofSeconds(90);

    private final GuestAgentClient guests;
    private final GuestTimeouts timeouts;

    public ReplicationGuests(GuestAgentClient guests, GuestTimeouts timeouts) {
        this.guests = guests;
        this.timeouts = timeouts;
    }

    /**
     * {@code backup_required_for_replication} (low timeout): Trove's first call to the source; here also the proof
     * that its guest answers before the long snapshot call, so a dead source fails a replica in seconds, not after
     * the snapshot timeout.
     */
    public boolean backupRequiredForReplication(RpcContext context, String sourceId) {
        JsonNode reply = guests.callLow(context, sourceId, "backup_required_for_replication", PythonJson.object());
        return reply == null || reply.isNull() || reply.asBoolean(true);
    }

    /** {@code get_replication_snapshot}: a backup of the source, then its replica context (slow: the snapshot timeout). */
    public ObjectNode replicationSnapshot(RpcContext context, String sourceId, ObjectNode snapshotInfo,
                                          String sourceConfig) {
        ObjectNode args = PythonJson.object();
        args.set("snapshot_info", snapshotInfo);
        args.put("replica_source_config", sourceConfig);
        return object(guests.call(context, sourceId, "get_replication_snapshot", args, timeouts.snapshot()),
                "get_replication_snapshot");
    }

    public ObjectNode replicaContext(RpcContext context, String sourceId) {
        return object(guests.callHigh(context, sourceId, "get_replica_context", PythonJson.object()),
                "get_replica_context");
    }

    public void attachReplica(RpcContext context, String instanceId, ObjectNode replicaInfo, String replicaConfig,
                              boolean restart) {
        ObjectNode args = PythonJson.object();
        args.set("replica_info", replicaInfo);
        args.put("slave_config", replicaConfig);
        args.put("restart", restart);
        guests.callHigh(context, instanceId, "attach_replica", args);
    }

    public void detachReplica(RpcContext context, String instanceId, boolean forFailover) {
        ObjectNode args = PythonJson.object();
        args.put("for_failover", forFailover);
        guests.callHigh(context, instanceId, "detach_replica", args);
    }

    public void makeReadOnly(RpcContext context, String instanceId, boolean readOnly) {
        ObjectNode args = PythonJson.object();
        args.put("read_only", readOnly);
        guests.callHigh(context, instanceId, "make_read_only", args);
    }

    public void enableAsMaster(RpcContext context, String instanceId, String sourceConfig) {
        ObjectNode args = PythonJson.object();
        args.put("replica_source_config", sourceConfig);
        guests.callHigh(context, instanceId, "enable_as_master", args);
    }

    public void demoteReplicationMaster(RpcContext context, String instanceId) {
        guests.callHigh(context, instanceId, "demote_replication_master", PythonJson.object());
    }

    public String latestTxnId(RpcContext context, String instanceId) {
        JsonNode txn = guests.callHigh(context, instanceId, "get_latest_txn_id", PythonJson.object());
        return txn == null || txn.isNull() ? null : txn.asText();
    }

    /** {@code get_last_txn} with the low timeout: an eject asks every replica, and a dead one must not hold it up. */
    public JsonNode lastTxn(RpcContext context, String instanceId) {
        return guests.callLow(context, instanceId, "get_last_txn", PythonJson.object());
    }

    public void waitForTxn(RpcContext context, String instanceId, String txn) {
        ObjectNode args = PythonJson.object();
        args.put("txn", txn);
        guests.call(context, instanceId, "wait_for_txn", args, WAIT_FOR_TXN);
    }

    /** {@code stop_db} with the low timeout: fencing an old source that may not answer. */
    public void stopDatabase(RpcContext context, String instanceId) {
        guests.callLow(context, instanceId, "stop_db", PythonJson.object());
    }

    private static ObjectNode object(JsonNode reply, String method) {
        if (reply == null || !reply.isObject()) {
            throw new IllegalStateException(method + " answered " + (reply == null ? "nothing" : reply.getNodeType())
                    + ", not a dict");
        }
        return (ObjectNode) reply;
    }
}
