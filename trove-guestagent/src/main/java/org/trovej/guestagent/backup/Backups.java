package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.common.pitr.PointInTime;
import org.trovej.guestagent.conductor.ConductorClient;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.pitr.LogBatch;

/**
 * A datastore manager's backups and restores: the settings, the object store they go through (Swift's API by
 * default, one pooled HTTP client per agent, made when first needed) and the {@link BackupRunner}. The manager supplies its
 * {@link BackupEngine} and decides when; this class does the rest.
 */
public final class Backups {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final String PARENT_LOCATION = BackupRunner.PARENT_LOCATION.toLowerCase(Locale.ROOT);
    private static final String PARENT_CHECKSUM = BackupRunner.PARENT_CHECKSUM.toLowerCase(Locale.ROOT);
    private static final int MAX_CHAIN = 1000;

    private final BackupSettings settings;
    private volatile BackupRunner.StoreFactory stores = this::swiftStore;
    /** Made at the first backup or restore: an idle agent keeps no HTTP client (and its selector thread). */
    private SwiftClient swift;
    private volatile ConductorClient conductor;
    private volatile BackupRunner runner;

    /** Reads the options at construction: a bad value stops the agent before it starts. */
    public Backups(GuestConfig config) {
        this.settings = BackupSettings.from(config);
    }

    public void attach(ConductorClient conductorClient) {
        this.conductor = conductorClient;
        this.runner = new BackupRunner(settings, conductorClient, stores);
    }

    /** Replaces where backups are stored and restored from (tests: a directory), before or after attaching. */
    public void useStores(BackupRunner.StoreFactory factory) {
        this.stores = factory;
        if (conductor != null) {
            this.runner = new BackupRunner(settings, conductor, factory);
        }
    }

    private BackupStore swiftStore(String swiftUrl, String token, String container) {
        SwiftClient client;
        synchronized (this) {
            if (swift == null) {
                swift = new SwiftClient();
            }
            client = swift;
        }
        return SwiftBackupStore.of(client, swiftUrl, token, container);
    }

    /** {@code create_backup}: see {@link BackupRunner#run}. */
    public ObjectNode create(String token, BackupRequest request, BackupEngine engine, String refusal) {
        return runner.run(token, request, engine, refusal);
    }

    /**
     * Stores one piece of a point-in-time restore's shipped log as {@code <objectPrefix><first>-<last><suffix>}
     * through the backups' pipeline (compressed, encrypted with the backup key, MD5 and SHA-256 checked), with
     * {@code metadata}; what is left of a failed attempt is deleted.
     */
    public BackupPipeline.Stored storeLog(String swiftUrl, String token, String container, String objectPrefix,
                                          LogBatch batch, Map<String, String> metadata) throws IOException {
        String object = objectPrefix + batch.first() + "-" + batch.last() + settings.objectSuffix(batch.archiveSuffix());
        BackupStore store = stores.open(swiftUrl, token, container);
        try (InputStream source = batch.source().open()) {
            return new BackupPipeline(store, settings.compression(), settings.encryptionKey(), settings.segmentMaxSize())
                    .store(source, false, object, () -> metadata);
        } catch (IOException | RuntimeException e) {
            try {
                store.deleteBackup(object);
            } catch (IOException | RuntimeException cleanup) {
                log.warn("Could not delete the partly shipped log object {}: {}", object,
                        BackupRunner.describe(cleanup));
            }
            throw e;
        }
    }

    /** At the agent's start, before it takes messages. */
    public void failInterrupted() {
        runner.failInterrupted();
    }

    /**
     * Fills the engine's emptied data directory from the backup and, for an incremental, the chain under it (read
     * from each object's {@code Parent-Location} metadata, as Trove's restore does): the full backup first, then
     * each incremental, every object's checksums checked before anything may start the database. Any failure
     * empties the data directory again and fails naming the backup (a checksum failure as "Backup &lt;id&gt;
     * failed its checksum ...").
     */
    public void restore(String token, RestoreInfo restore, BackupEngine engine) throws Exception {
        log.info("Restoring backup {} from {}", restore.id(), restore.location());
        long started = System.nanoTime();
        List<ChainLink> chain;
        try {
            chain = chain(token, restore);
        } catch (IOException | IllegalArgumentException e) {
            throw new GuestError("Restoring backup " + restore.id() + " failed: " + BackupRunner.describe(e), e);
        }
        engine.clearDataDirectory();
        try {
            RestorePipeline pipeline = new RestorePipeline(settings.encryptionKey());
            for (int i = 0; i < chain.size(); i++) {
                ChainLink link = chain.get(i);
                log.info("Restoring {} {} of the chain: {}", i == 0 ? "full backup" : "incremental", link.backupId(),
                        link.location());
                pipeline.restore(link.backupId(), link.store(), link.location().object(), link.checksum(),
                        i == 0 ? engine::restore : stream -> engine.restoreIncremental(stream, link.metadata()));
            }
            PointInTime pointInTime = restore.pointInTime();
            if (pointInTime == null) {
                engine.finishRestore(chain.size() - 1);
            } else {
                for (PointInTime.LogObject shipped : pointInTime.logs()) {
                    ObjectLocation at = ObjectLocation.parse(shipped.location());
                    log.info("Restoring shipped log {}", at.object());
                    pipeline.restore(restore.id(), stores.open(at.accountUrl().toString(), token, at.container()),
                            at.object(), shipped.checksum(), engine::restoreLog);
                }
                engine.finishRestore(chain.size() - 1, pointInTime.restoreTime());
            }
        } catch (Exception e) {
            // the fault names only the exception; its stack says which stage failed (the tool, the store's stream,
            // decryption, the digests), which the message alone often does not
            log.warn("Restoring backup {} failed", restore.id(), e);
            try {
                engine.clearDataDirectory();
            } catch (IOException | RuntimeException cleanup) {
                log.error("Could not empty the data directory after the failed restore: {}",
                        BackupRunner.describe(cleanup));
            }
            if (e instanceof ChecksumMismatchException) {
                throw new GuestError(e.getMessage(), e);
            }
            throw new GuestError("Restoring backup " + restore.id() + " failed: " + BackupRunner.describe(e), e);
        }
        log.info("Backup {} restored in {} ms ({} object(s))", restore.id(), (System.nanoTime() - started) / 1_000_000,
                chain.size());
    }

    /** One backup of a chain being restored: where it is, the checksum its child (or the request) recorded. */
    private record ChainLink(String backupId, ObjectLocation location, String checksum, BackupStore store,
                             Map<String, String> metadata) {
    }

    /** The chain, full backup first; a missing parent or a loop fails before anything is touched. */
    private List<ChainLink> chain(String token, RestoreInfo restore) throws IOException {
        List<ChainLink> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String id = restore.id();
        String location = restore.location();
        String checksum = restore.checksum();
        while (true) {
            ObjectLocation parsed;
            try {
                parsed = ObjectLocation.parse(location);
            } catch (IllegalArgumentException e) {
                throw new IOException("backup " + id + " has no usable location: " + e.getMessage());
            }
            if (!seen.add(location) || chain.size() > MAX_CHAIN) {
                throw new IOException("the backup chain of " + restore.id() + " loops or is too long");
            }
            BackupStore store = stores.open(parsed.accountUrl().toString(), token, parsed.container());
            Map<String, String> metadata = store.metadata(parsed.object());
            chain.add(0, new ChainLink(id, parsed, checksum, store, metadata));
            String parent = metadata.get(PARENT_LOCATION);
            if (parent == null || parent.isEmpty()) {
                return chain;
            }
            location = parent;
            checksum = metadata.get(PARENT_CHECKSUM);
            id = backupId(ObjectLocation.parse(parent).object());
        }
    }

    /** A parent's id, known only by its object's name ({@code <backup id><suffix>}). */
    private static String backupId(String object) {
        return object.length() >= 36 ? object.substring(0, 36) : object;
    }
}
