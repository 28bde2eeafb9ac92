package org.trovej.guestagent.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.guestagent.conductor.ConductorClient;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.GuestError;

/**
 * A datastore manager's backups and restores: the settings, the object store they go through (Swift's API by
 * default, one pooled HTTP client per agent, made when first needed) and the {@link BackupRunner}. The manager supplies its
 * {@link BackupEngine} and decides when; this class does the rest.
 */
public final class Backups {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);

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
    public void create(String token, BackupRequest request, BackupEngine engine, String refusal) {
        runner.run(token, request, engine, refusal);
    }

    /** At the agent's start, before it takes messages. */
    public void failInterrupted() {
        runner.failInterrupted();
    }

    /**
     * Fills the engine's emptied data directory from the backup, checking both checksums before anything may start
     * the database; any failure empties the data directory again and fails naming the backup (a checksum failure
     * as "Backup &lt;id&gt; failed its checksum ...").
     */
    public void restore(String token, RestoreInfo restore, BackupEngine engine) throws Exception {
        ObjectLocation location;
        try {
            location = ObjectLocation.parse(restore.location());
        } catch (IllegalArgumentException e) {
            throw new GuestError("Backup " + restore.id() + " has no usable location: " + e.getMessage());
        }
        log.info("Restoring backup {} from {}", restore.id(), restore.location());
        long started = System.nanoTime();
        engine.clearDataDirectory();
        try {
            BackupStore store = stores.open(location.accountUrl().toString(), token, location.container());
            new RestorePipeline(settings.encryptionKey()).restore(restore.id(), store, location.object(),
                    restore.checksum(), engine::restore);
        } catch (Exception e) {
            try {
                engine.clearDataDirectory();
            } catch (java.io.IOException | RuntimeException cleanup) {
                log.error("Could not empty the data directory after the failed restore: {}",
                        BackupRunner.describe(cleanup));
            }
            if (e instanceof ChecksumMismatchException) {
                throw new GuestError(e.getMessage(), e);
            }
            throw new GuestError("Restoring backup " + restore.id() + " failed: " + BackupRunner.describe(e), e);
        }
        log.info("Backup {} restored in {} ms", restore.id(), (System.nanoTime() - started) / 1_000_000);
    }
}
