package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.BackupState;
import org.trovej.common.json.PythonJson;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.guestagent.conductor.ConductorClient;
import org.trovej.guestagent.datastore.FilesystemStats;

/**
 * {@code create_backup} from start to report, the same for every engine: record the backup as running (so an
 * agent stopped half-way reports it FAILED when it starts again), report BUILDING, store the engine's tar stream
 * through the {@link BackupPipeline}, report COMPLETED with checksum, location, size and type, or delete what was
 * written and report FAILED with a short reason. The database keeps running and the heartbeat goes on; backups
 * run one at a time.
 */
public final class BackupRunner {

    /** Where a backup's objects go: the store of {@code swift_url}'s account and the container, with a token. */
    @FunctionalInterface
    public interface StoreFactory {
        BackupStore open(String swiftUrl, String token, String container);
    }

    /** Trove's metadata names for an incremental's parent (backup/main.py, X-Object-Meta-Parent-Location). */
    public static final String PARENT_LOCATION = "Parent-Location";
    public static final String PARENT_CHECKSUM = "Parent-Checksum";

    static final String INTERRUPTED = "the guest agent stopped during the backup";
    private static final Logger log = LoggerFactory.getLogger(BackupRunner.class);
    private static final int REASON_LIMIT = 240;

    private final BackupSettings settings;
    private final ConductorClient conductor;
    private final StoreFactory stores;
    private final BackupMarkers markers;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public BackupRunner(BackupSettings settings, ConductorClient conductor, StoreFactory stores) {
        this.settings = settings;
        this.conductor = conductor;
        this.stores = stores;
        this.markers = new BackupMarkers(settings.markerDir());
    }

    /** The object's name: {@code <backup id><archive suffix><compression suffix>[.enc]}, e.g. {@code .tar.zst.enc}. */
    public String objectName(String backupId, BackupEngine engine) {
        return backupId + settings.objectSuffix(engine.archiveSuffix());
    }

    /**
     * Runs the backup and reports it. {@code engine} null: the datastore has no backups, reported as FAILED with
     * {@code refusal}. Returns what was reported ({@code state}, and {@code location} and {@code checksum} once
     * COMPLETED): a replication snapshot goes on only with a stored backup.
     */
    public ObjectNode run(String token, BackupRequest request, BackupEngine engine, String refusal) {
        oneAtATime.lock();
        try {
            if (markers.known(request.id())) {
                log.warn("create_backup for backup {} ignored: this agent has run it already", request.id());
                return failed(request, "this agent has run backup " + request.id() + " already");
            }
            if (engine == null || refusal != null) {
                String reason = refusal != null ? refusal : "Backups are not supported by this guest agent";
                log.error("Backup {} refused: {}", request.id(), reason);
                ObjectNode refused = failed(request, reason);
                report(request.id(), refused);
                return refused;
            }
            return runBackup(token, request, engine);
        } finally {
            oneAtATime.unlock();
        }
    }

    private ObjectNode runBackup(String token, BackupRequest request, BackupEngine engine) {
        String object = objectName(request.id(), engine);
        BackupStore store;
        try {
            store = stores.open(request.swiftUrl(), token, request.container());
            markers.begin(new BackupMarkers.Running(request.id(), request.swiftUrl(), request.container(), object,
                    token));
        } catch (IOException | RuntimeException e) {
            log.error("Backup {} could not start: {}", request.id(), describe(e));
            ObjectNode notStarted = failed(request, "Backup could not start: " + describe(e));
            report(request.id(), notStarted);
            return notStarted;
        }
        ObjectNode building = PythonJson.object();
        long dataSize = engine.dataSize();
        building.put("size", FilesystemStats.toGb(dataSize));
        building.put("state", BackupState.BUILDING.name());
        building.put("backup_type", request.backupType());
        report(request.id(), building);
        log.info("Backup {} started: {} to {}", request.id(), object, store.location(object));
        long started = System.nanoTime();
        ObjectNode outcome;
        BackupSource source = null;
        Map<String, String> engineMetadata = new LinkedHashMap<>();
        try {
            Map<String, String> metadata = metadata(request);
            if (request.incremental()) {
                Map<String, String> parent = parentMetadata(token, request);
                source = engine.openIncrementalBackup(parent);
                metadata.put(PARENT_LOCATION, request.parent().location());
                if (request.parent().checksum() != null) {
                    metadata.put(PARENT_CHECKSUM, request.parent().checksum());
                }
            } else {
                source = engine.openFullBackup(settings.compression());
            }
            if (source.compressed() != null && source.compressed() != settings.compression()) {
                throw new IOException("the engine compressed its backup as " + source.compressed().option()
                        + ", not as " + settings.compression().option());
            }
            BackupPipeline.Stored stored;
            BackupSource opened = source;
            try (InputStream stream = opened.stream()) {
                stored = new BackupPipeline(store, settings.compression(), settings.encryptionKey(),
                        settings.segmentMaxSize())
                        .store(stream, opened.compressed() != null, object, () -> {
                            engineMetadata.putAll(opened.metadata().get());
                            Map<String, String> all = new LinkedHashMap<>(metadata);
                            all.putAll(engineMetadata);
                            return all;
                        });
            }
            ended(engine, request.id(), true, engineMetadata);
            // a stream the engine's tool compressed says nothing of the data's size: the data on disk does
            long dataBytes = source.compressed() != null ? dataSize : stored.sourceBytes();
            outcome = PythonJson.object();
            outcome.put("size", FilesystemStats.toGb(dataBytes));
            outcome.put("state", BackupState.COMPLETED.name());
            outcome.put("backup_type", request.backupType());
            outcome.put("checksum", stored.md5());
            outcome.put("location", stored.location());
            String logPosition = engine.logPosition(engineMetadata);
            if (logPosition != null) {
                // TroveJ's: Trove's conductor sets only fields its backup model has, and ignores this one
                outcome.put("log_position", logPosition);
            }
            outcome.put("success", true);
            log.info("Backup {} completed in {} ms: {} bytes of data, {} bytes stored in {} segment(s), MD5 {}",
                    request.id(), (System.nanoTime() - started) / 1_000_000, dataBytes,
                    stored.storedBytes(), stored.segments(), stored.md5());
        } catch (IOException | RuntimeException e) {
            log.error("Backup {} failed: {}", request.id(), describe(e));
            deleteQuietly(store, object, request.id());
            if (source != null) {
                ended(engine, request.id(), false, Map.of());
            }
            outcome = failed(request, describe(e));
        }
        report(request.id(), outcome);
        finish(request.id());
        return outcome;
    }

    /** Tells the engine its backup has ended; the backup's outcome does not depend on what the engine does then. */
    private static void ended(BackupEngine engine, String backupId, boolean stored, Map<String, String> metadata) {
        try {
            engine.backupEnded(stored, metadata);
        } catch (RuntimeException e) {
            log.warn("After backup {} the engine's own step failed: {}", backupId, describe(e));
        }
    }

    /**
     * The stored metadata of an incremental's parent, whose checksum must be the one the control plane recorded
     * (Trove's load_metadata checks it too): a parent that changed since would make a chain that cannot restore.
     */
    private Map<String, String> parentMetadata(String token, BackupRequest request) throws IOException {
        if (request.parent().location() == null) {
            throw new IOException("the parent backup has no location: it was never stored");
        }
        ObjectLocation location;
        try {
            location = ObjectLocation.parse(request.parent().location());
        } catch (IllegalArgumentException e) {
            throw new IOException("the parent backup's location is not usable: " + e.getMessage());
        }
        Map<String, String> parent = stores.open(location.accountUrl().toString(), token, location.container())
                .metadata(location.object());
        String recorded = parent.get(BackupPipeline.META_MD5.toLowerCase(java.util.Locale.ROOT));
        if (request.parent().checksum() != null && recorded != null
                && !recorded.equalsIgnoreCase(request.parent().checksum())) {
            throw new IOException("the parent backup's stored checksum " + recorded + " is not the recorded "
                    + request.parent().checksum());
        }
        return parent;
    }

    /**
     * At the agent's start, before it takes messages: a backup recorded as running was cut off by the agent's stop.
     * Its partial objects are deleted (if the token still works) and it is reported FAILED.
     */
    public void failInterrupted() {
        try {
            for (BackupMarkers.Running backup : markers.interrupted()) {
                log.warn("Backup {} was running when the agent stopped: reporting it failed", backup.backupId());
                if (backup.object() != null) {
                    try {
                        deleteQuietly(stores.open(backup.swiftUrl(), backup.token(), backup.container()),
                                backup.object(), backup.backupId());
                    } catch (RuntimeException e) {
                        log.warn("Partial objects of backup {} not deleted: {}", backup.backupId(), describe(e));
                    }
                }
                ObjectNode fields = PythonJson.object();
                fields.put("state", BackupState.FAILED.name());
                fields.put("success", false);
                fields.put("failure_reason", INTERRUPTED);
                report(backup.backupId(), fields);
                finish(backup.backupId());
            }
        } catch (IOException e) {
            log.error("Could not read the running-backup records in {}: {}", settings.markerDir(), e.getMessage());
        }
    }

    private Map<String, String> metadata(BackupRequest request) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (request.datastore() != null) {
            metadata.put("Datastore", request.datastore());
        }
        if (request.datastoreVersion() != null) {
            metadata.put("Datastore-Version", request.datastoreVersion());
        }
        metadata.put("Backup-Type", request.backupType());
        return metadata;
    }

    private static ObjectNode failed(BackupRequest request, String reason) {
        ObjectNode fields = PythonJson.object();
        fields.put("state", BackupState.FAILED.name());
        fields.put("backup_type", request.backupType());
        fields.put("success", false);
        fields.put("failure_reason", reason.length() > REASON_LIMIT ? reason.substring(0, REASON_LIMIT) + "..."
                : reason);
        return fields;
    }

    private void deleteQuietly(BackupStore store, String object, String backupId) {
        try {
            store.deleteBackup(object);
            log.info("Objects of backup {} deleted", backupId);
        } catch (IOException | RuntimeException e) {
            log.warn("Objects of backup {} not deleted: {}", backupId, describe(e));
        }
    }

    /**
     * The conductor must hear the outcome: the broker may be away for a moment (the transport reconnects by
     * itself), so the cast is tried again for about half a minute.
     */
    private void report(String backupId, ObjectNode fields) {
        for (int attempt = 1; ; attempt++) {
            try {
                conductor.updateBackup(backupId, fields);
                return;
            } catch (RuntimeException e) {
                if (attempt >= 10) {
                    log.error("update_backup {} for backup {} not sent: {}", fields.path("state").asText(), backupId,
                            e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void finish(String backupId) {
        try {
            markers.finish(backupId);
        } catch (IOException e) {
            log.error("Could not record backup {} as finished in {}: {}", backupId, settings.markerDir(),
                    e.getMessage());
        }
    }

    public static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
