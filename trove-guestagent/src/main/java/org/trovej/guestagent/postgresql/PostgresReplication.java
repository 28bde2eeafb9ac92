package org.trovej.guestagent.postgresql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.json.PythonJson;
import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.datastore.ServerLog;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;
import org.trovej.guestagent.replication.ReplicationEngine;

/**
 * PostgreSQL streaming replication (Trove's {@code PostgresqlReplicationStreaming}): physical hot standbys. This
 * class answers the {@link ReplicationEngine} calls and orders their steps; the parts live beside it.
 * <ul>
 * <li>Source: the replication role ({@link PostgresReplicationRole}); pg_hba lets it stream from any address with
 * scram-sha-256. Every snapshot is preceded by a <em>seed slot</em>, which each replica copies into its own slot
 * ({@link PostgresReplicationSlots}).</li>
 * <li>Replica: {@code standby.signal} and {@code conf.d/91-standby.conf} ({@code primary_conninfo} without a
 * password: a libpq {@code passfile} outside PGDATA ({@link PostgresStandbyFiles}); {@code primary_slot_name} = its
 * own slot on the source). Its data, roles included, is the source's and read-only: its agent logs in with the
 * source agent's password, which the snapshot's backup carries ({@value #AGENT_PASSWORD_FILE} in PGDATA).</li>
 * <li>Failover as Trove's task manager runs it: {@code detach_replica(for_failover=true)} only marks the replica
 * for promotion (the task manager sends it to the candidate and to every sibling alike; a sibling must not be
 * promoted); {@code enable_as_master} promotes a marked replica; {@code attach_replica} re-points a standby
 * (reload) or records the new source for an old one, which {@code demote_replication_master} stops, rewinds
 * (pg_rewind) and starts as a standby.</li>
 * </ul>
 * Passwords are never logged; a context is never logged.
 */
final class PostgresReplication implements ReplicationEngine {

    /**
     * The source agent's own password, in PGDATA (mode 0600), written before each snapshot's backup so that the
     * backup carries it: a replica's data, the agent's role included, is its source's and read-only, so its agent
     * logs in with it (the snapshot does not carry it: the control plane keeps snapshots).
     */
    static final String AGENT_PASSWORD_FILE = "trove_agent.pass";
    /** How long a re-pointed standby gets to stream before it is rewound instead. */
    private static final Duration REPOINT_WAIT = Duration.ofSeconds(20);
    private static final Duration PROMOTE_WAIT = Duration.ofSeconds(60);
    private static final Duration REWIND_TIMEOUT = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(PostgresReplication.class);

    private final PostgresSettings settings;
    private final PostgresServer server;
    private final PostgresConfigFiles files;
    private final PostgresAdmin admin;
    private final AdminCredentials.Cached adminPassword;
    private final WalArchive walArchive;
    private final Runnable startServer;
    private final Commands asRunAs;
    private final String ownSlot;
    private final PostgresReplicationRole role;
    private final PostgresReplicationSlots slots;
    private final PostgresStandbyFiles standbyFiles;
    private final StandbyStreaming streaming;

    /**
     * @param startServer the manager's start (rewrites the agent's settings, starts, waits until ready)
     */
    PostgresReplication(PostgresSettings settings, PostgresServer server, PostgresConfigFiles files,
                        PostgresAdmin admin, AdminCredentials.Cached adminPassword, WalArchive walArchive,
                        String guestId, Runnable startServer) {
        this.settings = settings;
        this.server = server;
        this.files = files;
        this.admin = admin;
        this.adminPassword = adminPassword;
        this.walArchive = walArchive;
        this.startServer = startServer;
        this.asRunAs = new Commands(settings.runAs());
        this.ownSlot = PostgresReplicationSlots.slotName(guestId);
        this.role = new PostgresReplicationRole(settings);
        this.slots = new PostgresReplicationSlots(settings, server, admin);
        this.standbyFiles = new PostgresStandbyFiles(settings, ownSlot);
        this.streaming = new StandbyStreaming(settings, admin, standbyFiles);
    }

    @Override
    public String strategy() {
        return "PostgresqlReplicationStreaming";
    }

    // ---- source ------------------------------------------------------------------------------------------

    @Override
    public void enableAsSource() {
        requireRunning("enable it as a replication source");
        try (Connection c = admin.connect("postgres")) {
            if (WalPositions.inRecovery(c)) {
                if (!standbyFiles.markedForPromotion()) {
                    throw new GuestError("This instance is a replica of " + standbyFiles.sourceName() + ": it cannot "
                            + "be a replication source (no cascading replication); promote or detach it first");
                }
                promote(c);
            } else {
                // a snapshot follows (or a repeated enable_as_master): not after a failover's promote, where no
                // replica is restored from a backup
                slots.ensureSeedSlot(c);
            }
            role.ensure(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW wal_log_hints")) {
                if (rs.next() && !"on".equals(rs.getString(1))) {
                    // the agent sets it at every start; a cluster started by an older agent has not restarted since
                    log.warn("wal_log_hints is off until PostgreSQL restarts: if this source is ever demoted before "
                            + "that, pg_rewind cannot make it a replica");
                }
            }
        } catch (SQLException e) {
            throw new GuestError("Could not enable PostgreSQL as a replication source: " + e.getMessage(), e);
        }
        String agentPassword = adminPassword.get();
        if (!agentPassword.equals(PostgresReplicationRole.readPasswordFile(
                settings.pgData().resolve(AGENT_PASSWORD_FILE)))) {
            OsUser.writeFile(settings.pgData().resolve(AGENT_PASSWORD_FILE), agentPassword + "\n", settings.runAs(),
                    "rw-------");
        }
        // clusters prepared before replication existed have no rule for the replication role yet
        files.writeHba();
        server.reload();
        standbyFiles.clearPromotionMark();
    }

    @Override
    public ObjectNode replicaContext() {
        requireRunning("answer a replica context");
        String seed;
        String password;
        long timeline;
        try (Connection c = admin.connect("postgres")) {
            if (WalPositions.inRecovery(c)) {
                throw new GuestError("This instance is a replica: it is not a replication source");
            }
            password = role.ensure(c);
            seed = slots.oldestLiveSeed(c);
            timeline = WalPositions.timeline(c);
        } catch (SQLException e) {
            throw new GuestError("Could not read the replication source's state: " + e.getMessage(), e);
        }
        ObjectNode context = PythonJson.object();
        ObjectNode master = context.putObject("master");
        master.put("host", SourceAddress.of(settings.bindHost()));
        master.put("port", settings.port());
        ObjectNode conf = context.putObject("replica_conf");
        ObjectNode position = conf.putObject("log_position");
        if (seed != null) {
            position.put("seed_slot", seed);
        }
        // a re-pointed standby streams once it is on this timeline (or a later one)
        position.put("timeline", timeline);
        ObjectNode user = conf.putObject("replication_user");
        user.put("name", PostgresReplicationRole.USER);
        user.put("password", password);
        return context;
    }

    /** The source's housekeeping: expired seed slots go (see {@link PostgresReplicationSlots#expireSeeds()}). */
    void expireSeeds() {
        slots.expireSeeds();
    }

    // ---- replica -----------------------------------------------------------------------------------------

    @Override
    public void configureAsReplica(ObjectNode snapshot) {
        ReplicationSource source = ReplicationSource.of(snapshot, ownSlot);
        String agent = PostgresReplicationRole.readPasswordFile(settings.pgData().resolve(AGENT_PASSWORD_FILE));
        if (agent == null) {
            throw new GuestError("The snapshot's backup holds no credentials of the source's agent ("
                    + AGENT_PASSWORD_FILE + "): this agent could not log in to its read-only copy of the source's data");
        }
        // the restored data holds the source agent's role, and a standby cannot re-key it: adopt its password
        adminPassword.remember(AdminCredentials.store(settings.adminCredentials(), agent));
        standbyFiles.writeSource(source);
        String seed = snapshot.path("replica_conf").path("log_position").path("seed_slot").asText(null);
        slots.createOnSource(source, seed, true);
        String restoreCommand = null;
        if (files.recoveryPending()) {
            // a restored incremental chain: its WAL in the archive is replayed first, then streaming takes over
            // (no recovery target, no promote: that was for a plain restore)
            files.removeRecoverySettings();
            restoreCommand = walArchive.restoreCommand();
        }
        files.writeStandby(source.conninfo(standbyFiles.passfile()), source.slot(), restoreCommand);
        standbyFiles.clearPromotionMark();
        log.info("Configured as a hot standby of {} (slot {})", source.name(), source.slot());
    }

    @Override
    public void startReplicating(ObjectNode snapshot) {
        streaming.await();
    }

    // ---- failover ----------------------------------------------------------------------------------------

    @Override
    public void attachReplica(ObjectNode replicaInfo, boolean restart) {
        ReplicationSource source = ReplicationSource.of(replicaInfo, ownSlot);
        boolean standby = following();
        standbyFiles.writeSource(source);
        slots.createOnSource(source, null, false);
        standbyFiles.clearPromotionMark();
        if (!standby) {
            // a writable server (the old source): demote_replication_master stops, rewinds and starts it as a
            // standby of this source; its own slots and writes stop then
            log.info("Will follow {} once demoted", source.name());
            return;
        }
        files.writeStandby(source.conninfo(standbyFiles.passfile()), source.slot(), null);
        if (server.processState().running()) {
            // primary_conninfo and primary_slot_name take effect at a reload (PostgreSQL 13+), and the new source's
            // timeline is followed (recovery_target_timeline latest)
            long logOffset = new ServerLog(settings.logFile()).end();
            server.reload();
            long timeline = replicaInfo.path("replica_conf").path("log_position").path("timeline").asLong(0);
            if (streaming.streams(REPOINT_WAIT, Math.max(1, logOffset), timeline)) {
                return;
            }
            // a sibling may have received a little more of the old source's WAL (its own housekeeping records,
            // written after the promote) than the new source had when promoted: it is rewound to the new source
            log.info("This standby cannot stream from {} as it is: rewinding it", source.name());
        } else if (!restart) {
            return;
        }
        rewindAndFollow(source);
    }

    @Override
    public ObjectNode detachReplica(boolean forFailover) {
        requireRunning("detach it");
        try (Connection c = admin.connect("postgres")) {
            if (!WalPositions.inRecovery(c)) {
                log.info("detach_replica: not a replica (already detached)");
                return PythonJson.object();
            }
            if (forFailover) {
                // the task manager sends this to the new source and to every sibling alike: promoting a sibling
                // would fork it off the new source's timeline. enable_as_master promotes; attach_replica re-points
                standbyFiles.markForPromotion();
                log.info("detach_replica(for_failover): promotion deferred to enable_as_master (a sibling is "
                        + "re-attached instead)");
                return PythonJson.object();
            }
            ReplicationSource source = standbyFiles.readSource();
            promote(c);
            if (source != null) {
                slots.dropOwnSlot(source);
            }
        } catch (SQLException e) {
            throw new GuestError("Could not detach the replica: " + e.getMessage(), e);
        }
        standbyFiles.forgetSource();
        return PythonJson.object();
    }

    /** pg_promote, until out of recovery; then the standby settings go, so that a restart keeps it a source. */
    private void promote(Connection c) throws SQLException {
        log.info("Promoting this replica");
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout((int) PROMOTE_WAIT.toSeconds() + 10);
            try (ResultSet rs = s.executeQuery("SELECT pg_promote(true, " + PROMOTE_WAIT.toSeconds() + ")")) {
                rs.next();
            }
        }
        long deadline = System.nanoTime() + PROMOTE_WAIT.toNanos();
        while (WalPositions.inRecovery(c)) {
            if (System.nanoTime() > deadline) {
                throw new GuestError("The replica did not leave recovery within " + PROMOTE_WAIT.toSeconds() + " s: "
                        + new ServerLog(settings.logFile()).since(0));
            }
            Pause.sleep(50, "while the replica was being promoted");
        }
        // the promote only requested a checkpoint: until one ends, pg_control still names the old timeline, and
        // pg_rewind of the old source against this one would wrongly find nothing to rewind
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
        files.removeStandby();
        server.reload();
        standbyFiles.clearPromotionMark();
        log.info("Promoted: this instance accepts writes");
    }

    /**
     * An old source after a promote elsewhere: to make sure no committed row is lost, users' new transactions are
     * read-only (a configuration layer and a reload) and every user session is ended (its next one starts
     * read-only). A user who explicitly asks for a read-write transaction is not stopped (PostgreSQL has no hard
     * read-only switch short of being a standby); Trove's guest does nothing here.
     */
    @Override
    public void makeReadOnly(boolean readOnly) {
        files.writeReadOnly(readOnly);
        if (!server.processState().running()) {
            return;
        }
        server.reload();
        if (!readOnly) {
            log.info("Read-only default removed");
            return;
        }
        try (Connection c = admin.connect("postgres")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // the reload is asynchronous: a new session shows when the postmaster has read the layer
            while (!readOnlyInNewSessions()) {
                if (System.nanoTime() > deadline) {
                    throw new GuestError("The read-only setting did not take effect after a reload");
                }
                Pause.sleep(20, "while waiting for the reload");
            }
            int ended;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE "
                    + "pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                    + "AND pid <> pg_backend_pid() AND application_name IS DISTINCT FROM 'trove-guestagent'")) {
                rs.next();
                ended = rs.getInt(1);
            }
            log.info("Read-only: new transactions are read-only by default; {} user session(s) ended", ended);
        } catch (SQLException e) {
            throw new GuestError("Could not make PostgreSQL read-only: " + e.getMessage(), e);
        }
    }

    private boolean readOnlyInNewSessions() throws SQLException {
        try (Connection c = admin.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW default_transaction_read_only")) {
            return rs.next() && "on".equals(rs.getString(1));
        }
    }

    /**
     * The old source, attached to the new one: stop, pg_rewind against the new source (its files, WAL and data
     * replace the ones that diverged), put this instance's own configuration back, start as a standby.
     */
    @Override
    public void demoteSource() {
        ReplicationSource source = standbyFiles.readSource();
        if (source == null) {
            throw new GuestError("demote_replication_master: no new source to follow (attach_replica first)");
        }
        if (files.standbyConfigured()) {
            log.info("Already a standby of {}", source.name());
            if (server.processState().running()) {
                streaming.await();
            }
            return;
        }
        rewindAndFollow(source);
    }

    /**
     * Stops the server, rewinds it with pg_rewind against {@code source} (the new source's files, WAL and the blocks
     * that diverged replace its own; nothing to do when its WAL did not go past the promote point), puts this
     * instance's own configuration back, and starts it as a standby of {@code source}.
     */
    private void rewindAndFollow(ReplicationSource source) {
        if (server.processState().running()) {
            server.stop();
        }
        Map<String, String> own = files.ownConfiguration();
        log.info("Rewinding against {} (pg_rewind)", source.name());
        CommandResult result = asRunAs.run(List.of(settings.tool("pg_rewind").toString(), "--target-pgdata",
                settings.pgData().toString(), "--source-server", source.conninfo(standbyFiles.passfile())
                        + " dbname=postgres"), settings.dataDir(), null, REWIND_TIMEOUT);
        if (!result.ok()) {
            throw new GuestError("pg_rewind against " + source.name() + " failed (exit " + result.exitCode() + "): "
                    + result.tail(4));
        }
        log.info("pg_rewind: {}", result.tail(1));
        // its configuration files are this instance's own (pg_rewind copied the new source's)
        files.restoreOwnConfiguration(own);
        files.writeReadOnly(false);
        // the slots of its former replicas would keep WAL on a standby nobody streams from
        slots.clearSlots();
        files.writeStandby(source.conninfo(standbyFiles.passfile()), source.slot(), null);
        startServer.run();
        streaming.await();
    }

    // ---- transactions ------------------------------------------------------------------------------------

    @Override
    public String latestTxnId() {
        try (Connection c = admin.connect("postgres")) {
            return WalPositions.latest(c);
        } catch (SQLException e) {
            throw new GuestError("Could not read the WAL position: " + e.getMessage(), e);
        }
    }

    /**
     * {@code [source, position]}: the source a replica follows ({@code host:port}, null on a source) and the WAL
     * position it has replayed as a number of bytes (LSN {@code X/Y} = X * 2^32 + Y), so that the task manager's
     * sort picks the most advanced replica (LSN strings do not sort as text: {@code 0/9000000 > 0/10000000}).
     */
    @Override
    public ArrayNode lastTxn() {
        ArrayNode answer = PythonJson.array();
        ReplicationSource source = following() ? standbyFiles.readSource() : null;
        if (source == null) {
            answer.addNull();
        } else {
            answer.add(source.name());
        }
        answer.add(WalPositions.lsnBytes(latestTxnId()));
        return answer;
    }

    @Override
    public void waitForTxn(String txn, Duration timeout) {
        long wanted = WalPositions.lsnBytes(txn);
        long deadline = System.nanoTime() + timeout.toNanos();
        String replayed = null;
        try (Connection c = admin.connect("postgres")) {
            if (!WalPositions.inRecovery(c)) {
                throw new GuestError("wait_for_txn: this instance is not a replica");
            }
            while (true) {
                replayed = WalPositions.replayed(c);
                if (WalPositions.lsnBytes(replayed) >= wanted) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
                Pause.sleep(50, "while waiting for the replica to replay " + txn);
            }
        } catch (SQLException e) {
            throw new GuestError("wait_for_txn: " + e.getMessage(), e);
        }
        throw new GuestError("Timed out after " + timeout.toSeconds() + " s waiting for the replica to replay " + txn
                + " (replayed: " + replayed + ")");
    }

    @Override
    public boolean following() {
        if (!server.processState().running()) {
            return files.standbyConfigured();
        }
        try (Connection c = admin.connect("postgres")) {
            return WalPositions.inRecovery(c);
        } catch (SQLException e) {
            return files.standbyConfigured();
        }
    }

    private void requireRunning(String what) {
        if (!server.processState().running()) {
            throw new GuestError("PostgreSQL is not running: cannot " + what);
        }
    }
}
