package org.trovej.guestagent.replication;

import java.time.Duration;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an engine contributes to replication (Trove's replication strategy for it); the order of the calls, the
 * snapshot's backup and the RPC shapes are the datastore manager's. The dicts passed in and returned are Trove's
 * wire shapes, handed from one guest to another through the task manager, so that a Trove guest could take part:
 * <ul>
 * <li>a replica context ({@code get_replica_context}, and the snapshot's {@code master} and {@code replica_conf}):
 * {@code {"master": {"host", "port"}, "replica_conf": {"log_position": {...}, "replication_user": {"name",
 * "password"}}}} (a snapshot has {@code dataset} beside them; the engine may add keys of its own);</li>
 * <li>a transaction id: PostgreSQL an LSN ({@code 0/3000060}), MariaDB a GTID position.</li>
 * </ul>
 * The replication user's password is a secret: never log a context.
 */
public interface ReplicationEngine {

    /** Trove's {@code replication_strategy} name in the snapshot (e.g. {@code PostgresqlReplicationStreaming}). */
    String strategy();

    /**
     * {@code enable_as_master}: lets replicas connect (the replication user, its access rules, the settings a source
     * needs). Idempotent: called before each snapshot and at every promote.
     */
    void enableAsSource();

    /** {@code get_replica_context}, on the source: how a replica connects to it now (see the class comment). */
    ObjectNode replicaContext();

    /**
     * A replica's prepare, after the snapshot's backup was restored and before the server's first start: makes the
     * data a replica of {@code snapshot.master} (PostgreSQL: standby settings) and keeps it read-only.
     */
    void configureAsReplica(ObjectNode snapshot);

    /**
     * A replica's prepare, once its server runs: starts replicating (MariaDB: the GTID position of the backup,
     * CHANGE MASTER, START SLAVE) and waits until it is connected to its source, failing with the reason if it
     * cannot be.
     */
    void startReplicating(ObjectNode snapshot);

    /**
     * {@code attach_replica}: a running instance (an old source after a promote, or a replica re-pointed to a new
     * source) follows the source in {@code replicaInfo} (a replica context) from where its data is. {@code restart}:
     * Trove's flag (the old source is not restarted: a demote follows).
     */
    void attachReplica(ObjectNode replicaInfo, boolean restart);

    /**
     * {@code detach_replica}: stops following the source and becomes writable on its own (PostgreSQL: promote).
     * Returns Trove's replica info ({@code {"replication_user": ...}} or {@code {}}).
     */
    ObjectNode detachReplica(boolean forFailover);

    /** {@code make_read_only}: refuse (true) or accept (false) writes from users. */
    void makeReadOnly(boolean readOnly);

    /** {@code demote_replication_master}: an old source, already attached to the new one, finishes becoming a replica. */
    void demoteSource();

    /** {@code get_latest_txn_id}: the newest transaction this server has written (source) or replayed (replica). */
    String latestTxnId();

    /** {@code get_last_txn}: {@code [source id or null, transaction id]}: which replica is the most advanced. */
    ArrayNode lastTxn();

    /** {@code wait_for_txn}: returns once this replica has replayed {@code txn}; fails past {@code timeout}. */
    void waitForTxn(String txn, Duration timeout);

    /** Whether this server follows a source now: its role, as the engine sees it. */
    boolean following();
}
