package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.datastore.TemplateDirectories;

/**
 * The physical replication slots on a source, which keep the WAL its replicas still need.
 * <ul>
 * <li>Seed slots ({@value #SEED_PREFIX}epoch seconds): every snapshot is preceded by one, reserving WAL from the
 * last checkpoint, i.e. from before the backup starts; each replica copies it into its own slot. Seeds expire after
 * {@link #SEED_TTL}.</li>
 * <li>A replica's own slot ({@value #SLOT_PREFIX}guest id), created on its source by the replica itself (as the
 * replication role) and dropped by it when it is detached.</li>
 * </ul>
 */
final class PostgresReplicationSlots {

    static final String SEED_PREFIX = "trove_seed_";
    static final String SLOT_PREFIX = "trove_replica_";
    static final Duration SEED_TTL = Duration.ofHours(24);
    /** A seed younger than this is reused by the next snapshot (its WAL reservation covers that backup too). */
    private static final Duration SEED_REUSE = Duration.ofMinutes(10);
    /** Seeds kept at most (each holds a replication slot: max_replication_slots is 10 by default). */
    private static final int MAX_SEEDS = 3;
    private static final Duration SEED_CHECK_INTERVAL = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(PostgresReplicationSlots.class);

    private final PostgresSettings settings;
    private final PostgresServer server;
    private final PostgresAdmin admin;
    private volatile long lastSeedCheck;

    PostgresReplicationSlots(PostgresSettings settings, PostgresServer server, PostgresAdmin admin) {
        this.settings = settings;
        this.server = server;
        this.admin = admin;
    }

    /** This instance's slot on its source: named after the guest (slot names: a-z, 0-9, _; 63 at most). */
    static String slotName(String guestId) {
        String id = guestId == null ? "unknown" : guestId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String name = SLOT_PREFIX + id;
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    // ---- seeds, on the source ----------------------------------------------------------------------------

    /**
     * Before a snapshot's backup: a seed slot reserves the WAL from the last checkpoint on, so every replica
     * restored from that backup can copy it into its own slot and stream from where the backup ends however long
     * the restore took. A seed younger than {@link #SEED_REUSE} is reused; expired ones are dropped.
     */
    void ensureSeedSlot(Connection c) throws SQLException {
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
            if (!WalPositions.inRecovery(c)) {
                dropExpiredSeeds(c);
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("Seed slots not checked: {}", e.getMessage());
        }
    }

    /** The oldest seed not yet expired (its reservation covers the most backups), or null. */
    String oldestLiveSeed(Connection c) throws SQLException {
        long now = System.currentTimeMillis() / 1000;
        return seeds(c).stream().filter(s -> now - seedTime(s) < SEED_TTL.toSeconds()).findFirst().orElse(null);
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
        seeds.sort(Comparator.comparingLong(PostgresReplicationSlots::seedTime));
        return seeds;
    }

    private static long seedTime(String seed) {
        try {
            return Long.parseLong(seed.substring(SEED_PREFIX.length()));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    // ---- a replica's own slot, on its source -------------------------------------------------------------

    /**
     * Creates this replica's slot on {@code source}: a copy of {@code seed} (the snapshot's reservation), else a new
     * slot reserving from the source's last checkpoint. {@code fresh}: an existing slot of this name is replaced
     * (a redelivered prepare restored older data than it may have kept WAL for).
     */
    void createOnSource(ReplicationSource source, String seed, boolean fresh) {
        try (Connection c = source.connect()) {
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

    /** Best effort: the source (maybe gone) should not keep WAL for a replica that left. */
    void dropOwnSlot(ReplicationSource source) {
        try (Connection c = source.connect()) {
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

    // ---- this server's own slots -------------------------------------------------------------------------

    /** Removes every slot in this (stopped) server's PGDATA: used when an old source is rewound into a standby. */
    void clearSlots() {
        Path slots = settings.pgData().resolve("pg_replslot");
        try (Stream<Path> entries = Files.list(slots)) {
            for (Path entry : entries.toList()) {
                TemplateDirectories.deleteTree(entry);
            }
        } catch (IOException e) {
            log.warn("Could not remove the old replication slots in {}: {}", slots, e.getMessage());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

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
}
