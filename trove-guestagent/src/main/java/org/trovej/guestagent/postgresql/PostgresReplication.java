package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.json.PythonJson;
import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.datastore.ServerLog;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;
import org.trovej.guestagent.replication.ReplicationEngine;

/**
 * PostgreSQL streaming replication (Trove's {@code PostgresqlReplicationStreaming}): physical hot standbys.
 * <ul>
 * <li>Source: the role {@value #USER} (REPLICATION, LOGIN, and EXECUTE on the four functions pg_rewind reads the
 * source with; not a superuser as in Trove), its password in {@value #PASSWORD_FILE} inside PGDATA, so that it
 * travels with the data (a promoted replica has it, as Trove's {@code .replpass}); pg_hba lets it stream from any
 * address with scram-sha-256. Every snapshot is preceded by a <em>seed slot</em> ({@value #SEED_PREFIX}epoch
 * seconds, a physical slot reserving WAL from the last checkpoint, i.e. from before the backup starts), which each
 * replica copies into its own slot; seeds expire after {@link #SEED_TTL}.</li>
 * <li>Replica: {@code standby.signal} and {@code conf.d/91-standby.conf} ({@code primary_conninfo} without a
 * password: a libpq {@code passfile} outside PGDATA; {@code primary_slot_name} = its own slot on the source).
 * Its data, roles included, is the source's and read-only: its agent logs in with the source agent's password,
 * which the snapshot's backup carries ({@value #AGENT_PASSWORD_FILE} in PGDATA).</li>
 * <li>Failover as Trove's task manager runs it: {@code detach_replica(for_failover=true)} only marks the replica
 * for promotion (the task manager sends it to the candidate and to every sibling alike; a sibling must not be
 * promoted); {@code enable_as_master} promotes a marked replica; {@code attach_replica} re-points a standby
 * (reload) or records the new source for an old one, which {@code demote_replication_master} stops, rewinds
 * (pg_rewind) and starts as a standby.</li>
 * </ul>
 * Passwords are never logged; a context is never logged.
 */
final class PostgresReplication implements ReplicationEngine {

    static final String USER = "replicator";
    /** The replication role's password, in PGDATA (mode 0600). */
    static final String PASSWORD_FILE = "trove_replication.pass";
    /**
     * The source agent's own password, in PGDATA (mode 0600), written before each snapshot's backup so that the
     * backup carries it: a replica's data, the agent's role included, is its source's and read-only, so its agent
     * logs in with it (the snapshot does not carry it: the control plane keeps snapshots).
     */
    static final String AGENT_PASSWORD_FILE = "trove_agent.pass";
    /** A replica's libpq password file for its source, on the volume outside PGDATA. */
    private static final String PASSFILE = "replication.pgpass";
    /** The source a replica follows (or an old source will follow once demoted): host, port, slot. */
    private static final String SOURCE_FILE = "replication-source.json";
    /** detach_replica(for_failover=true) was received: enable_as_master promotes. */
    private static final String PROMOTE_MARKER = ".guestagent.promote-pending";
    static final String SEED_PREFIX = "trove_seed_";
    static final String SLOT_PREFIX = "trove_replica_";
    static final Duration SEED_TTL = Duration.ofHours(24);
    /** A seed younger than this is reused by the next snapshot (its WAL reservation covers that backup too). */
    private static final Duration SEED_REUSE = Duration.ofMinutes(10);
    /** Seeds kept at most (each holds a replication slot: max_replication_slots is 10 by default). */
    private static final int MAX_SEEDS = 3;
    private static final Duration SEED_CHECK_INTERVAL = Duration.ofMinutes(10);
    /** The source refuses this server's WAL position: it is past where the source left the old timeline. */
    private static final List<String> DIVERGED = List.of("is not in this server's history",
            "forked off current database system timeline");
    /** How long a re-pointed standby gets to stream before it is rewound instead. */
    private static final Duration REPOINT_WAIT = Duration.ofSeconds(20);
    private static final Duration STREAMING_WAIT = Duration.ofSeconds(90);
    private static final Duration PROMOTE_WAIT = Duration.ofSeconds(60);
    private static final Duration REWIND_TIMEOUT = Duration.ofHours(1);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(PostgresReplication.class);
    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    private final PostgresSettings settings;
    private final PostgresServer server;
    private final PostgresConfigFiles files;
    private final PostgresAdmin admin;
    private final AdminCredentials.Cached adminPassword;
    private final WalArchive walArchive;
    private final String guestId;
    private final Runnable startServer;
    private final Commands asRunAs;
    private volatile long lastSeedCheck;

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
        this.guestId = guestId;
        this.startServer = startServer;
        this.asRunAs = new Commands(settings.runAs());
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
            if (inRecovery(c)) {
                if (!Files.exists(marker())) {
                    throw new GuestError("This instance is a replica of " + sourceName() + ": it cannot be a "
                            + "replication source (no cascading replication); promote or detach it first");
                }
                promote(c);
            } else {
                // a snapshot follows (or a repeated enable_as_master): not after a failover's promote, where no
                // replica is restored from a backup
                ensureSeedSlot(c);
            }
            ensureReplicationUser(c);
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
        if (!agentPassword.equals(readPasswordFile(settings.pgData().resolve(AGENT_PASSWORD_FILE)))) {
            OsUser.writeFile(settings.pgData().resolve(AGENT_PASSWORD_FILE), agentPassword + "\n", settings.runAs(),
                    "rw-------");
        }
        // clusters prepared before replication existed have no rule for the replication role yet
        files.writeHba();
        server.reload();
        deleteQuietly(marker());
    }

    @Override
    public ObjectNode replicaContext() {
        requireRunning("answer a replica context");
        String seed;
        String password;
        long timeline;
        try (Connection c = admin.connect("postgres")) {
            if (inRecovery(c)) {
                throw new GuestError("This instance is a replica: it is not a replication source");
            }
            password = ensureReplicationUser(c);
            seed = oldestLiveSeed(c);
            timeline = timeline(c);
        } catch (SQLException e) {
            throw new GuestError("Could not read the replication source's state: " + e.getMessage(), e);
        }
        ObjectNode context = PythonJson.object();
        ObjectNode master = context.putObject("master");
        master.put("host", sourceHost());
        master.put("port", settings.port());
        ObjectNode conf = context.putObject("replica_conf");
        ObjectNode position = conf.putObject("log_position");
        if (seed != null) {
            position.put("seed_slot", seed);
        }
        // a re-pointed standby streams once it is on this timeline (or a later one)
        position.put("timeline", timeline);
        ObjectNode user = conf.putObject("replication_user");
        user.put("name", USER);
        user.put("password", password);
        return context;
    }

    /**
     * The replication role and its password file: created when either is missing (a promoted replica has both, as
     * replicated data; a source restored from a backup of a source too). Answers the password.
     */
    private String ensureReplicationUser(Connection c) throws SQLException {
        Path file = settings.pgData().resolve(PASSWORD_FILE);
        String password = readPasswordFile(file);
        boolean exists;
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            s.setString(1, USER);
            try (ResultSet rs = s.executeQuery()) {
                exists = rs.next();
            }
        }
        if (password != null && exists) {
            return password;
        }
        if (password == null) {
            password = randomPassword(32);
            OsUser.writeFile(file, password + "\n", settings.runAs(), "rw-------");
        }
        // a SCRAM verifier: the plain text never reaches the server, its log or pg_stat_activity
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        try (Statement s = c.createStatement()) {
            s.execute((exists ? "ALTER" : "CREATE") + " ROLE " + USER + " WITH REPLICATION LOGIN NOSUPERUSER "
                    + "PASSWORD " + PostgresAdmin.literal(verifier));
            // what pg_rewind reads the new source with, when an old source is demoted (PostgreSQL's documented
            // least privilege for it): no superuser needed
            s.execute("GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean), "
                    + "pg_catalog.pg_stat_file(text, boolean), pg_catalog.pg_read_binary_file(text), "
                    + "pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO " + USER);
        }
        log.info("Replication role {} {}", USER, exists ? "given a new password" : "created");
        return password;
    }

    private static String readPasswordFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            String text = Files.readString(file).strip();
            return text.isEmpty() ? null : text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Before a snapshot's backup: a seed slot reserves the WAL from the last checkpoint on, so every replica
     * restored from that backup can copy it into its own slot and stream from where the backup ends however long
     * the restore took. A seed younger than {@link #SEED_REUSE} is reused; expired ones are dropped.
     */
    private void ensureSeedSlot(Connection c) throws SQLException {
        dropExpiredSeeds(c);
        long now = System.currentTimeMillis() / 1000;
        for (String seed : seeds(c)) {
            if (now - seedTime(seed) < SEED_REUSE.toSeconds()) {
                return;
            }
        }
        List<String> live = seeds(c);
        for (String old : live.subList(0, Math.max(0, live.size() - (MAX_SEEDS - 1)))) {
            dropSlot(c, old);
            log.info("Seed slot {} dropped: at most {} are kept", old, MAX_SEEDS);
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_create_physical_replication_slot(?, true)")) {
            s.setString(1, SEED_PREFIX + now);
            s.execute();
        }
        log.info("Seed slot {}{} reserves WAL for the replicas of the next snapshot (for {} h at most)",
                SEED_PREFIX, now, SEED_TTL.toHours());
    }

    /** The source's housekeeping: seeds past {@link #SEED_TTL} go, so that they do not retain WAL forever. */
    void expireSeeds() {
        long now = System.nanoTime();
        if (lastSeedCheck != 0 && now - lastSeedCheck < SEED_CHECK_INTERVAL.toNanos()) {
            return;
        }
        lastSeedCheck = now;
        if (!server.processState().running()) {
            return;
        }
        try (Connection c = admin.connect("postgres")) {
            if (!inRecovery(c)) {
                dropExpiredSeeds(c);
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("Seed slots not checked: {}", e.getMessage());
        }
    }

    private void dropExpiredSeeds(Connection c) throws SQLException {
        long now = System.currentTimeMillis() / 1000;
        for (String seed : seeds(c)) {
            if (now - seedTime(seed) >= SEED_TTL.toSeconds()) {
                dropSlot(c, seed);
                log.info("Expired seed slot {} dropped", seed);
            }
        }
    }

    private String oldestLiveSeed(Connection c) throws SQLException {
        long now = System.currentTimeMillis() / 1000;
        return seeds(c).stream().filter(s -> now - seedTime(s) < SEED_TTL.toSeconds()).findFirst().orElse(null);
    }

    /** The seed slots, oldest first. */
    private static List<String> seeds(Connection c) throws SQLException {
        List<String> seeds = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT slot_name FROM "
                + "pg_replication_slots WHERE slot_type = 'physical' AND slot_name LIKE '" + SEED_PREFIX.replace("_",
                "\\_") + "%'")) {
            while (rs.next()) {
                seeds.add(rs.getString(1));
            }
        }
        seeds.removeIf(n -> seedTime(n) < 0);
        seeds.sort(java.util.Comparator.comparingLong(PostgresReplication::seedTime));
        return seeds;
    }

    private static long seedTime(String seed) {
        try {
            return Long.parseLong(seed.substring(SEED_PREFIX.length()));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static boolean slotActive(Connection c, String slot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void dropSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM "
                + "pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            s.setString(1, slot);
            s.execute();
        }
    }

    /**
     * The address other machines reach this server at: the configured {@code bind_host} (the local back end gives
     * each instance its own), or, when it listens everywhere, the address of the interface with the default
     * route (as Trove's guest takes its own IPv4 address).
     */
    private String sourceHost() {
        String first = settings.bindHost().split(",")[0].strip();
        if (!List.of("*", "0.0.0.0", "", "::").contains(first)) {
            return first;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            // no packet is sent: connecting a UDP socket only chooses the route and its source address
            probe.connect(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 9));
            InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress() && !local.isLoopbackAddress()) {
                return local.getHostAddress();
            }
        } catch (IOException e) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            throw new GuestError("Cannot tell this machine's address for replicas: set [postgresql] bind_host");
        }
    }

    // ---- replica -----------------------------------------------------------------------------------------

    @Override
    public void configureAsReplica(ObjectNode snapshot) {
        Source source = Source.of(snapshot, slotName());
        String agent = readPasswordFile(settings.pgData().resolve(AGENT_PASSWORD_FILE));
        if (agent == null) {
            throw new GuestError("The snapshot's backup holds no credentials of the source's agent ("
                    + AGENT_PASSWORD_FILE + "): this agent could not log in to its read-only copy of the source's data");
        }
        // the restored data holds the source agent's role, and a standby cannot re-key it: adopt its password
        adminPassword.remember(AdminCredentials.store(settings.adminCredentials(), agent));
        writeSource(source);
        String seed = snapshot.path("replica_conf").path("log_position").path("seed_slot").asText(null);
        createSlotOnSource(source, seed, true);
        String restoreCommand = null;
        if (files.recoveryPending()) {
            // a restored incremental chain: its WAL in the archive is replayed first, then streaming takes over
            // (no recovery target, no promote: that was for a plain restore)
            files.removeRecoverySettings();
            restoreCommand = walArchive.restoreCommand();
        }
        files.writeStandby(source.conninfo(passfile()), source.slot(), restoreCommand);
        deleteQuietly(marker());
        log.info("Configured as a hot standby of {} (slot {})", source.name(), source.slot());
    }

    @Override
    public void startReplicating(ObjectNode snapshot) {
        awaitStreaming();
    }

    /**
     * Creates this replica's slot on {@code source}: a copy of {@code seed} (the snapshot's reservation), else a new
     * slot reserving from the source's last checkpoint. {@code fresh}: an existing slot of this name is replaced
     * (a redelivered prepare restored older data than it may have kept WAL for).
     */
    private void createSlotOnSource(Source source, String seed, boolean fresh) {
        try (Connection c = connectToSource(source)) {
            boolean exists;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, source.slot());
                try (ResultSet rs = s.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (exists && !fresh) {
                return;
            }
            if (exists) {
                dropSlot(c, source.slot());
            }
            boolean seeded = false;
            if (seed != null) {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_copy_physical_replication_slot(slot_name, ?)"
                        + " FROM pg_replication_slots WHERE slot_name = ?")) {
                    s.setString(1, source.slot());
                    s.setString(2, seed);
                    try (ResultSet rs = s.executeQuery()) {
                        seeded = rs.next();
                    }
                }
                if (!seeded) {
                    log.warn("The snapshot's seed slot {} is gone from the source (expired after {} h?): the replica's "
                            + "slot reserves WAL from now on, and WAL written since the backup may be missing", seed,
                            SEED_TTL.toHours());
                }
            }
            if (!seeded) {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_create_physical_replication_slot(?, true)")) {
                    s.setString(1, source.slot());
                    s.execute();
                }
            }
            log.info("Replication slot {} on {} {}", source.slot(), source.name(), seeded ? "copied from " + seed
                    : "created");
        } catch (SQLException e) {
            throw new GuestError("Could not create this replica's replication slot on its source " + source.name()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the WAL receiver streams; fails with the server's reason past {@link #STREAMING_WAIT}. */
    private void awaitStreaming() {
        if (!streams(STREAMING_WAIT, 0, 0)) {
            String why = new ServerLog(settings.logFile()).since(0, l -> l.contains("FATAL:") || l.contains("ERROR:"));
            throw new GuestError("The replica does not stream from " + sourceName() + " after "
                    + STREAMING_WAIT.toSeconds() + " s: " + why);
        }
    }

    /**
     * Whether the WAL receiver streams (on {@code timeline} or a later one, when not 0) within {@code wait}; false at
     * once when the server log (from {@code logOffset}, when not 0) says the source's history has no place for this
     * server's WAL (it went past the point the source was promoted at).
     */
    private boolean streams(Duration wait, long logOffset, long timeline) {
        long deadline = System.nanoTime() + wait.toNanos();
        ServerLog serverLog = new ServerLog(settings.logFile());
        while (System.nanoTime() < deadline) {
            try (Connection c = admin.connect("postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT status, received_tli FROM pg_stat_wal_receiver")) {
                if (rs.next() && "streaming".equals(rs.getString(1)) && rs.getLong(2) >= timeline) {
                    log.info("Streaming from {}", sourceName());
                    return true;
                }
            } catch (SQLException e) {
                log.debug("WAL receiver not checked: {}", e.getMessage());
            }
            if (logOffset > 0) {
                String diverged = serverLog.since(logOffset, l -> DIVERGED.stream().anyMatch(l::contains));
                if (DIVERGED.stream().anyMatch(diverged::contains)) {
                    log.info("The new source's history has no place for this standby's WAL: {}", diverged);
                    return false;
                }
            }
            Pause.sleep(100, "while waiting for the replica to stream");
        }
        return false;
    }

    // ---- failover ----------------------------------------------------------------------------------------

    @Override
    public void attachReplica(ObjectNode replicaInfo, boolean restart) {
        Source source = Source.of(replicaInfo, slotName());
        boolean standby = following();
        writeSource(source);
        createSlotOnSource(source, null, false);
        deleteQuietly(marker());
        if (!standby) {
            // a writable server (the old source): demote_replication_master stops, rewinds and starts it as a
            // standby of this source; its own slots and writes stop then
            log.info("Will follow {} once demoted", source.name());
            return;
        }
        files.writeStandby(source.conninfo(passfile()), source.slot(), null);
        if (server.processState().running()) {
            // primary_conninfo and primary_slot_name take effect at a reload (PostgreSQL 13+), and the new source's
            // timeline is followed (recovery_target_timeline latest)
            long logOffset = new ServerLog(settings.logFile()).end();
            server.reload();
            long timeline = replicaInfo.path("replica_conf").path("log_position").path("timeline").asLong(0);
            if (streams(REPOINT_WAIT, Math.max(1, logOffset), timeline)) {
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
            if (!inRecovery(c)) {
                log.info("detach_replica: not a replica (already detached)");
                return PythonJson.object();
            }
            if (forFailover) {
                // the task manager sends this to the new source and to every sibling alike: promoting a sibling
                // would fork it off the new source's timeline. enable_as_master promotes; attach_replica re-points
                OsUser.writeFile(marker(), "detach_replica(for_failover=true)\n", null, "rw-------");
                log.info("detach_replica(for_failover): promotion deferred to enable_as_master (a sibling is "
                        + "re-attached instead)");
                return PythonJson.object();
            }
            Source source = readSource();
            promote(c);
            if (source != null) {
                dropOwnSlot(source);
            }
        } catch (SQLException e) {
            throw new GuestError("Could not detach the replica: " + e.getMessage(), e);
        }
        deleteQuietly(settings.dataDir().resolve(PASSFILE));
        deleteQuietly(settings.dataDir().resolve(SOURCE_FILE));
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
        while (inRecovery(c)) {
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
        deleteQuietly(marker());
        log.info("Promoted: this instance accepts writes");
    }

    /** Best effort: the source (maybe gone) should not keep WAL for a replica that left. */
    private void dropOwnSlot(Source source) {
        try (Connection c = connectToSource(source)) {
            // the source's WAL sender for this replica may take a moment to notice it stopped
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (slotActive(c, source.slot()) && System.nanoTime() < deadline) {
                Pause.sleep(100, "while the source released the slot");
            }
            dropSlot(c, source.slot());
            log.info("Replication slot {} dropped on {}", source.slot(), source.name());
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not drop replication slot {} on {}: {}", source.slot(), source.name(), e.getMessage());
        }
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
        Source source = readSource();
        if (source == null) {
            throw new GuestError("demote_replication_master: no new source to follow (attach_replica first)");
        }
        if (files.standbyConfigured()) {
            log.info("Already a standby of {}", source.name());
            if (server.processState().running()) {
                awaitStreaming();
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
    private void rewindAndFollow(Source source) {
        if (server.processState().running()) {
            server.stop();
        }
        Map<String, String> own = files.ownConfiguration();
        log.info("Rewinding against {} (pg_rewind)", source.name());
        CommandResult result = asRunAs.run(List.of(settings.tool("pg_rewind").toString(), "--target-pgdata",
                settings.pgData().toString(), "--source-server", source.conninfo(passfile()) + " dbname=postgres"),
                settings.dataDir(), null, REWIND_TIMEOUT);
        if (!result.ok()) {
            throw new GuestError("pg_rewind against " + source.name() + " failed (exit " + result.exitCode() + "): "
                    + result.tail(4));
        }
        log.info("pg_rewind: {}", result.tail(1));
        // its configuration files are this instance's own (pg_rewind copied the new source's)
        files.restoreOwnConfiguration(own);
        files.writeReadOnly(false);
        // the slots of its former replicas would keep WAL on a standby nobody streams from
        clearSlots();
        files.writeStandby(source.conninfo(passfile()), source.slot(), null);
        startServer.run();
        awaitStreaming();
    }

    private void clearSlots() {
        Path slots = settings.pgData().resolve("pg_replslot");
        try (Stream<Path> entries = Files.list(slots)) {
            for (Path entry : entries.toList()) {
                TemplateDirectories.deleteTree(entry);
            }
        } catch (IOException e) {
            log.warn("Could not remove the old replication slots in {}: {}", slots, e.getMessage());
        }
    }

    // ---- transactions ------------------------------------------------------------------------------------

    @Override
    public String latestTxnId() {
        try (Connection c = admin.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CASE WHEN pg_is_in_recovery() THEN "
                     + "coalesce(pg_last_wal_replay_lsn(), '0/0') ELSE pg_current_wal_lsn() END::text")) {
            rs.next();
            return rs.getString(1);
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
        Source source = following() ? readSource() : null;
        if (source == null) {
            answer.addNull();
        } else {
            answer.add(source.name());
        }
        answer.add(lsnBytes(latestTxnId()));
        return answer;
    }

    @Override
    public void waitForTxn(String txn, Duration timeout) {
        long wanted = lsnBytes(txn);
        long deadline = System.nanoTime() + timeout.toNanos();
        String replayed = null;
        try (Connection c = admin.connect("postgres")) {
            if (!inRecovery(c)) {
                throw new GuestError("wait_for_txn: this instance is not a replica");
            }
            while (true) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT coalesce(pg_last_wal_replay_lsn(), '0/0')::text")) {
                    rs.next();
                    replayed = rs.getString(1);
                }
                if (lsnBytes(replayed) >= wanted) {
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

    /** An LSN {@code X/Y} (hexadecimal halves) as the byte position it names. */
    static long lsnBytes(String lsn) {
        int slash = lsn == null ? -1 : lsn.indexOf('/');
        if (slash <= 0) {
            throw new GuestError("Not a PostgreSQL WAL position (X/Y): " + lsn);
        }
        try {
            return (Long.parseLong(lsn.substring(0, slash).strip(), 16) << 32)
                    | Long.parseLong(lsn.substring(slash + 1).strip(), 16);
        } catch (NumberFormatException e) {
            throw new GuestError("Not a PostgreSQL WAL position (X/Y): " + lsn);
        }
    }

    @Override
    public boolean following() {
        if (!server.processState().running()) {
            return files.standbyConfigured();
        }
        try (Connection c = admin.connect("postgres")) {
            return inRecovery(c);
        } catch (SQLException e) {
            return files.standbyConfigured();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** The source a replica connects to, and its slot there. */
    record Source(String host, int port, String password, String slot) {

        static Source of(JsonNode context, String slot) {
            JsonNode master = context.path("master");
            JsonNode user = context.path("replica_conf").path("replication_user");
            if (!master.path("host").isTextual() || master.path("host").asText().isBlank()
                    || !master.path("port").canConvertToInt()) {
                throw new GuestError("The replica context names no source (master.host, master.port)");
            }
            if (!USER.equals(user.path("name").asText(USER)) || !user.path("password").isTextual()) {
                throw new GuestError("The replica context has no replication user (replica_conf.replication_user)");
            }
            return new Source(master.path("host").asText(), master.path("port").asInt(),
                    user.path("password").asText(), slot);
        }

        String name() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        /** The libpq connection string, its password in {@code passfile}. */
        String conninfo(Path passfile) {
            return "host=" + value(host) + " port=" + port + " user=" + USER + " passfile=" + value(
                    passfile.toString()) + " application_name=" + value(slot) + " connect_timeout=10";
        }

        private static String value(String v) {
            return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }

        @Override
        public String toString() {
            return "Source[" + name() + ", slot " + slot + "]";
        }
    }

    /** This instance's slot on its source: named after the guest (slot names: a-z, 0-9, _; 63 at most). */
    String slotName() {
        String id = guestId == null ? "unknown" : guestId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String name = SLOT_PREFIX + id;
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    private Path passfile() {
        return settings.dataDir().resolve(PASSFILE);
    }

    private Path marker() {
        return settings.dataDir().resolve(PROMOTE_MARKER);
    }

    /** Records the source (host, port; its password in the libpq password file, both 0600 as run_as). */
    private void writeSource(Source source) {
        String escaped = source.password().replace("\\", "\\\\").replace(":", "\\:");
        OsUser.writeFile(passfile(), "*:*:*:" + USER + ":" + escaped + "\n", settings.runAs(), "rw-------");
        ObjectNode record = PythonJson.object();
        record.put("host", source.host());
        record.put("port", source.port());
        record.put("slot", source.slot());
        OsUser.writeFile(settings.dataDir().resolve(SOURCE_FILE), record.toString() + "\n", null, "rw-------");
    }

    private Source readSource() {
        Path file = settings.dataDir().resolve(SOURCE_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode record = PythonJson.parse(Files.readString(file));
            return new Source(record.path("host").asText(), record.path("port").asInt(), readPassfilePassword(),
                    record.path("slot").asText(slotName()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private String readPassfilePassword() {
        try {
            if (!Files.isRegularFile(passfile())) {
                return "";
            }
            String line = Files.readString(passfile()).strip();
            String[] parts = line.split("(?<!\\\\):", 5);
            return parts.length == 5 ? parts[4].replace("\\:", ":").replace("\\\\", "\\") : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + passfile(), e);
        }
    }

    private String sourceName() {
        Source source = readSource();
        return source == null ? "its source" : source.name();
    }

    /** A normal connection to the source as the replication role (slot functions need its REPLICATION). */
    private static Connection connectToSource(Source source) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", source.password());
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        props.setProperty("sslmode", "prefer");
        props.setProperty("ApplicationName", "trove-guestagent replica");
        Connection connection = DRIVER.connect("jdbc:postgresql://" + source.name() + "/postgres", props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver did not accept the source's address " + source.name());
        }
        return connection;
    }

    /** The timeline this source writes on (its current WAL file's first 8 hex digits). */
    private static long timeline(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_walfile_name(pg_current_wal_lsn())")) {
            rs.next();
            return Long.parseLong(rs.getString(1).substring(0, 8), 16);
        }
    }

    private static boolean inRecovery(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private void requireRunning(String what) {
        if (!server.processState().running()) {
            throw new GuestError("PostgreSQL is not running: cannot " + what);
        }
    }

    private static String randomPassword(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", file, e.getMessage());
        }
    }
}
