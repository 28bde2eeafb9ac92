package org.trovej.guestagent.datastore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.BackupState;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.json.PythonJson;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.common.pitr.LogShippingTarget;
import org.trovej.common.process.RestartBackOff;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.ServiceStatus;
import org.trovej.common.upgrade.UpgradeInfo;
import org.trovej.guestagent.backup.BackupEngine;
import org.trovej.guestagent.backup.BackupRunner;
import org.trovej.guestagent.backup.Backups;
import org.trovej.guestagent.conductor.ConductorClient;
import org.trovej.guestagent.pitr.LogShipper;
import org.trovej.guestagent.pitr.LogShipping;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.log.EngineLogs;
import org.trovej.guestagent.log.GuestLogs;
import org.trovej.guestagent.log.LogSettings;
import org.trovej.guestagent.log.SwiftLogStore;
import org.trovej.guestagent.os.OsUser;
import org.trovej.guestagent.replication.ReplicationEngine;
import org.trovej.guestagent.status.StatusReporter;
import org.trovej.guestagent.volume.DataVolume;
import org.trovej.guestagent.volume.VolumeSettings;

/**
 * What every datastore manager does the same way: the order of {@code prepare} and which status it reports
 * when, the lifecycle calls ({@code restart}, {@code stop_db}, {@code start_db_with_conf_changes}), the
 * volume calls, when the configuration is written, and bringing a prepared database back when the agent
 * starts. An engine (PostgreSQL, the MySQL family) supplies the steps and its seams: its server process
 * ({@link DatabaseServer}), its configuration files ({@link EngineConfiguration}) and its databases, users and
 * root ({@link #accountAdmin()}); its {@link ManagerFactory} wires them.
 * <p>
 * Lifecycle operations run one at a time: the control plane may send {@code restart} while a redelivered
 * {@code prepare} is still running, and the status loop must not probe half-way through either.
 * <p>
 * Two markers on the volume carry state across agent restarts (they belong to the data, not to the VM):
 * {@value #PREPARED_MARKER} once a prepare's critical part succeeded (Trove keeps the same flag), and
 * {@value #STOPPED_MARKER} while the database is stopped on request, so that an agent restart does not
 * start what the control plane stopped (as a container stopped with {@code docker stop} stays stopped).
 * <p>
 * When the data lives on a block device (OpenStack: prepare's {@code device_path}, or {@code volume_device}),
 * it is mounted at {@link #volume()} before anything looks at the volume: by prepare, by the agent's start
 * after a VM reboot, and by {@code mount_volume}; see {@link DataVolume}. Without one, the volume is a directory.
 */
public abstract class DatastoreManager<S extends ServerSettings, D extends DatabaseServer,
        F extends EngineConfiguration> implements StatusReporter.Source {

    public static final String PREPARED_MARKER = ".guestagent.prepare.end";
    public static final String STOPPED_MARKER = ".guestagent.stopped";

    /** How long a database we started gets to answer before the operation reports what it has. */
    protected static final Duration HEALTHY_WAIT = Duration.ofSeconds(60);

    protected final Logger log = LoggerFactory.getLogger(getClass());
    protected final GuestConfig config;
    /** The engine's settings section. */
    protected final S settings;
    /** The engine's server process: what the lifecycle calls stop and watch. */
    protected final D server;
    /** The engine's configuration files: what prepare and the configuration calls write. */
    protected final F files;
    /** The agent's own administration password, read once from its credentials file. */
    protected final AdminCredentials.Cached adminPassword;
    private final ReentrantLock operation = new ReentrantLock();
    private final VolumeMarkers markers = new VolumeMarkers(this::volume);
    private final RestartBackOff databaseRestarts = new RestartBackOff(Duration.ofSeconds(60));
    private final DataVolume dataVolume;
    private final Backups backups;
    private volatile Accounts accounts;
    private volatile GuestLogs guestLogs;
    /**
     * The overrides layer the last {@code update_overrides} replaced, until the {@code apply_overrides} or the
     * restart after it: what a refused apply puts back (null: no update awaits its apply).
     */
    private PreviousLayer layerBeforeUpdate;
    private ConductorClient conductor;
    private LogShipping logShipping;
    private StatusReporter status;

    protected DatastoreManager(GuestConfig config, S settings, D server, F files) {
        this.config = config;
        this.settings = settings;
        this.server = server;
        this.files = files;
        this.adminPassword = new AdminCredentials.Cached(settings.adminCredentials());
        this.dataVolume = new DataVolume(VolumeSettings.from(config));
        this.backups = new Backups(config);
    }

    /** Connects the manager to the conductor; the agent calls it once, before taking messages. */
    public void attach(ConductorClient conductorClient, StatusReporter reporter) {
        this.conductor = conductorClient;
        this.status = reporter;
        this.backups.attach(conductorClient);
        LogShipper shipper = logShipper();
        this.logShipping = shipper == null ? null : new LogShipping(backups, conductorClient, shipper);
    }

    /** The agent is stopping: what runs on its own (log shipping) stops with it. */
    public void detach() {
        if (logShipping != null) {
            logShipping.close();
        }
    }

    /**
     * TroveJ's {@code set_log_shipping} (point-in-time restore): ships the engine's transaction log to
     * {@code target} from now on, with the context's token, or stops shipping ({@code target} null); refused for
     * an engine that ships none.
     */
    public void setLogShipping(RpcContext context, LogShippingTarget target) {
        if (logShipping == null) {
            throw new GuestError("Point-in-time restore is not supported for datastore manager '" + name()
                    + "' by this guest agent");
        }
        if (target == null) {
            logShipping.stop();
        } else {
            logShipping.configure(target, authToken(context));
        }
    }

    /** Replaces where backups are stored and restored from (tests: a directory), before or after {@link #attach}. */
    public void useBackupStores(BackupRunner.StoreFactory factory) {
        backups.useStores(factory);
    }

    /** The datastore_manager name this manager serves: its configuration section is named after it. */
    public String name() {
        return settings.section();
    }

    /** The volume: the mount point holding the data (file system stats, markers). */
    public final Path volume() {
        return settings.dataDir();
    }

    // ---- engine steps -------------------------------------------------------------------------------------

    /** Installs, configures and starts the database: the critical part of prepare. */
    protected abstract void initialize(PrepareRequest request) throws Exception;

    /**
     * The engine's part of backups and restores, or null when it has none yet: then {@code create_backup} and a
     * prepare with {@code backup_info} are refused with a message saying so.
     */
    protected BackupEngine backupEngine() {
        return null;
    }

    /** The engine's part of point-in-time restore's log shipping, or null when it ships no log. */
    protected LogShipper logShipper() {
        return null;
    }

    /**
     * The engine's part of replication, or null when it has none: then the replication calls and a prepare with a
     * {@code snapshot} are refused with a message saying so.
     */
    protected ReplicationEngine replicationEngine() {
        return null;
    }

    /** The engine's part of {@code upgrade}: by default only a restart on the programs the agent runs. */
    protected DatastoreUpgrade datastoreUpgrade() {
        return DatastoreUpgrade.sameProgramsOnly(name(), config.datastoreVersion());
    }

    /** The engine's databases, users, grants and root: what {@link #accounts()} and prepare work through. */
    protected abstract AccountAdmin accountAdmin();

    protected void createDatabases(List<DatabaseSpec> databases) throws Exception {
        for (DatabaseSpec db : databases) {
            accountAdmin().createDatabase(db);
        }
    }

    protected void createUsers(List<UserSpec> users) throws Exception {
        for (UserSpec user : users) {
            accountAdmin().createUser(user);
        }
    }

    /** Lets the datastore's superuser log in with {@code password} (Trove's enable_root_on_prepare). */
    protected void enableRoot(String password) throws Exception {
        accountAdmin().enableRoot(password);
    }

    /** Starts the server and waits until it accepts connections; fails with the reason (e.g. its log). */
    protected abstract void startServer();

    /** Opens a connection as the agent's own administration account. */
    @FunctionalInterface
    protected interface AdminLogin {
        Connection open() throws SQLException;
    }

    /**
     * The end of every engine's initialisation: the agent's own account must be able to log in to the server it has
     * just started, else the prepare fails with the server's reason.
     *
     * @param serverName how the messages name the server ("PostgreSQL", "The server")
     */
    protected final void requireAdminLogin(String serverName, AdminLogin login) {
        try (Connection ignored = login.open()) {
            log.info("{} is up; the agent's admin account can log in", serverName);
        } catch (SQLException e) {
            throw new GuestError(serverName + " started but the agent cannot log in: " + e.getMessage(), e);
        }
    }

    /**
     * Prepare's configuration: the rendered one when the control plane sent it, else memory settings for
     * {@code memory_mb} (for the machine's RAM without it); then the configuration group's values.
     */
    protected final void configure(PrepareRequest request) {
        applyConfiguration(request.configContents(), request.configContents() == null
                ? memoryOf(request.memoryMb()) : null);
        files.writeOverrides(request.overrides());
    }

    /**
     * Rewrites the configuration: {@code configContents} (the control plane's rendered config) when not null,
     * settings sized for {@code memoryMb} when not null. Takes effect at the next start.
     */
    private void applyConfiguration(String configContents, Integer memoryMb) {
        files.ensureLayout();
        if (configContents != null) {
            files.writeConfigContents(configContents);
            if (memoryMb == null) {
                // the rendered configuration was made for the flavor: its memory settings apply
                files.removeMemory();
            }
        }
        if (memoryMb != null) {
            files.writeMemory(memoryMb);
        }
    }

    /** How the engine checks and applies a configuration group's values (beyond writing them: {@link #files}). */
    protected abstract ConfigurationOverrides configurationOverrides();

    /** Extra volume figures for get_filesystem_stats' {@code mgr_extra_info}. */
    protected ObjectNode volumeExtraInfo() {
        return PythonJson.object();
    }

    // ---- RPC operations -----------------------------------------------------------------------------------

    /** Databases, users, access and root (Trove's guest API for them), once the datastore is prepared. */
    public Accounts accounts() {
        Accounts current = accounts;
        if (current == null) {
            current = new Accounts(accountAdmin(), () -> requireInstalled("change databases or users"));
            accounts = current;
        }
        return current;
    }

    /** Trove's guest logs ({@code guest_log_list}, {@code guest_log_action}): see {@link GuestLogs}. */
    public GuestLogs guestLogs() {
        GuestLogs current = guestLogs;
        if (current == null) {
            synchronized (this) {
                if (guestLogs == null) {
                    EngineLogs engine = engineLogs();
                    LogSettings logSettings = LogSettings.from(config, name(), engine.defaultExposed());
                    guestLogs = new GuestLogs(logSettings, engine,
                            SwiftLogStore.fromContext(new SwiftClient(), logSettings.region()),
                            (what, change) -> exclusive(() -> {
                                requireInstalled(what);
                                change.run();
                            }), server::running);
                }
                current = guestLogs;
            }
        }
        return current;
    }

    /** The engine's user logs (the guest logs' per-engine seam); none by default. */
    protected EngineLogs engineLogs() {
        return EngineLogs.NONE;
    }

    /**
     * {@code prepare}: report {@code building}, set the database up, then create the requested databases,
     * users and root password, then report the real status. A failure of the critical part reports
     * {@code failed to spawn} and a fault naming the cause. A data directory that was already prepared is
     * only started: a redelivered prepare must never re-initialise data.
     */
    public void prepare(RpcContext context, PrepareRequest request) {
        exclusive(() -> {
            log.info("Prepare: {}", request);
            try {
                // the markers saying whether this data was prepared are on the volume: mount it first
                if (dataVolume.attach(request.devicePath(), volume()) && request.mountPoint() != null
                        && !Path.of(request.mountPoint()).equals(volume())) {
                    log.info("Volume mounted at the configured data directory {}, not at prepare's mount_point {}",
                            volume(), request.mountPoint());
                }
            } catch (RuntimeException e) {
                failPrepare(context, e);
                return;
            }
            if (installed()) {
                log.info("Data directory {} is already prepared: starting the database, not re-initialising",
                        volume());
                markers.clear(STOPPED_MARKER);
                if (!server.running()) {
                    try {
                        startServer();
                    } catch (RuntimeException e) {
                        log.error("Could not start the database: {}", describe(e));
                    }
                }
                status.report(awaitHealthy());
                return;
            }
            status.report(ServiceStatus.BUILDING);
            try {
                refuseUnsupported(request);
                claimVolume();
                RestoreInfo restore = RestoreInfo.fromWire(request.backupInfo());
                if (restore != null) {
                    // the data comes from the backup; initialize then only configures, starts and re-keys the
                    // agent's own login (the restored data holds the source instance's)
                    backups.restore(authToken(context), restore, backupEngine());
                }
                ObjectNode snapshot = replicaSnapshot(request);
                if (snapshot != null) {
                    replicationEngine().configureAsReplica(snapshot);
                }
                initialize(request);
                if (snapshot != null) {
                    replicationEngine().startReplicating(snapshot);
                }
                markers.set(PREPARED_MARKER);
            } catch (Exception e) {
                failPrepare(context, e);
                return;
            }
            if (request.snapshot() != null) {
                // a replica's databases, users and root are its source's, replicated (Trove's API refuses them too)
                ServiceStatus finalStatus = awaitHealthy();
                if (!stoppedDuringPrepare(context, finalStatus)) {
                    status.report(finalStatus);
                    log.info("Prepare of the replica completed: {}", finalStatus.description());
                }
                return;
            }
            // As in Trove these are not part of the critical work: a failure is logged and the instance
            // still becomes active; reporting after them lets a client use its users once it sees HEALTHY.
            nonCritical("creating databases", () -> createDatabases(request.databases()));
            // on a restore Trove's CREATE USER fails for the users the backup already has: they keep their passwords
            nonCritical("creating users", () -> createUsers(request.backupInfo() == null ? request.users()
                    : usersNotIn(accountAdmin().listUsers(), request.users())));
            if (request.rootPassword() != null && request.backupInfo() == null) {
                nonCritical("enabling root", () -> enableRoot(request.rootPassword()));
            }
            ServiceStatus finalStatus = awaitHealthy();
            if (!stoppedDuringPrepare(context, finalStatus)) {
                status.report(finalStatus);
                log.info("Prepare completed: {}", finalStatus.description());
            }
        });
    }

    /**
     * A database that was set up but is no longer running when prepare ends fails the prepare with the server's own
     * last error lines, so the instance's fault says why (a bare "shutdown" status left the build failing with no
     * reason anyone could read once the failed server was cleaned up).
     */
    private boolean stoppedDuringPrepare(RpcContext context, ServiceStatus finalStatus) {
        if (finalStatus != ServiceStatus.SHUTDOWN && finalStatus != ServiceStatus.CRASHED) {
            return false;
        }
        String why = server.lastErrors();
        GuestError error = new GuestError("The database stopped during prepare"
                + (why.isEmpty() ? " (its log names no error)" : ": " + why));
        failPrepare(context, error);
        return true;
    }

    /**
     * {@code create_backup} (a cast): stores a full backup of the running database and reports it to the conductor
     * ({@code update_backup}). Runs beside the lifecycle operations, not under their lock: the status loop keeps
     * probing and heartbeating while a backup of any length runs.
     */
    public void createBackup(RpcContext context, BackupRequest request) {
        BackupEngine engine = backupEngine();
        String refusal = null;
        if (engine == null) {
            refusal = "Backups are not supported for datastore manager '" + name() + "' by this guest agent";
        } else if (!installed()) {
            refusal = "Cannot back up: the datastore has not been prepared";
        }
        backups.create(authToken(context), request, engine, refusal);
    }

    /** At the agent's start, before it takes messages: backups an earlier run of the agent left running fail. */
    public void failInterruptedBackups() {
        backups.failInterrupted();
    }

    private List<UserSpec> usersNotIn(List<UserSpec> existing, List<UserSpec> requested) {
        List<UserSpec> absent = new ArrayList<>();
        for (UserSpec user : requested) {
            boolean there = existing.stream().anyMatch(e -> e.name().equals(user.name())
                    && (e.host() == null || user.host() == null || e.host().equals(user.host())));
            if (there) {
                log.info("User {} came with the restored backup: left as it is", user.name());
            } else {
                absent.add(user);
            }
        }
        return absent;
    }

    /** The object store token the control plane put in the request's context (Trove's {@code auth_token}). */
    private static String authToken(RpcContext context) {
        return context == null ? null : context.text("auth_token");
    }

    /** {@code restart}: stop if running, start, report; fails when the database does not come back healthy. */
    public void restart() {
        exclusive(() -> {
            requireInstalled("restart");
            markers.clear(STOPPED_MARKER);
            if (server.running()) {
                server.stop();
            }
            startAndReport();
        });
    }

    /**
     * The server the agent runs on is powering off (local back end): stop the database like the VM's shutdown
     * would, without the {@code stop_db} marker, so it comes back when the server is powered on again.
     */
    public void powerOff() {
        exclusive(() -> {
            if (server.running()) {
                server.stop();
            }
        });
    }

    /** {@code stop_db}: stop the database and keep it stopped across agent restarts until started again. */
    public void stopDb() {
        exclusive(() -> {
            if (installed()) {
                markers.set(STOPPED_MARKER);
            }
            if (server.running()) {
                server.stop();
            }
            if (installed()) {
                status.report(probe());
            }
        });
    }

    /** {@code pre_upgrade}: Trove's guest answers an empty dict, handed back in {@code upgrade_info}; so does this. */
    public ObjectNode preUpgrade() {
        return supply(() -> {
            requireInstalled("upgrade");
            return PythonJson.object();
        });
    }

    /**
     * {@code upgrade}: the database stopped, its data converted for the new version ({@link DatastoreUpgrade}), and
     * left stopped (the stop marker keeps the status loop from starting it) until the task manager has switched the
     * server to the new programs and calls {@code restart}. A conversion that fails leaves the old data as it was:
     * it is started again, and the failure is the call's answer.
     */
    public void upgrade(UpgradeInfo info) {
        exclusive(() -> {
            requireInstalled("upgrade");
            log.info("Upgrading to datastore version {} ({})", info.datastoreVersion(), info.datastoreVersionNumber());
            markers.set(STOPPED_MARKER);
            if (server.running()) {
                server.stop();
            }
            try {
                datastoreUpgrade().convert(info, config.section(name()));
            } catch (Exception e) {
                log.error("Upgrade to {} failed: {}; starting the old version again", info.datastoreVersion(),
                        describe(e));
                markers.clear(STOPPED_MARKER);
                try {
                    startAndReport();
                } catch (RuntimeException restart) {
                    log.error("The old version did not start again: {}", describe(restart));
                }
                throw e instanceof GuestError g ? g : new GuestError("Upgrade to datastore version "
                        + info.datastoreVersion() + " failed: " + describe(e), e);
            }
            status.report(probe());
            log.info("Data ready for datastore version {}: the database stays stopped until it runs on its programs",
                    info.datastoreVersion());
        });
    }

    /** {@code post_upgrade}: the new version runs; what the conversion kept of the old data is removed. */
    public void postUpgrade(UpgradeInfo info) {
        exclusive(() -> {
            try {
                datastoreUpgrade().removeOldData();
                log.info("Upgrade to {} complete: old data removed", info.datastoreVersion());
            } catch (Exception e) {
                throw new GuestError("Could not remove the data kept from before the upgrade: " + describe(e), e);
            }
        });
    }

    /** {@code start_db_with_conf_changes}: after a flavor resize, reconfigure (memory) and start. */
    public void startDbWithConfChanges(String configContents, Integer memoryMb) {
        exclusive(() -> {
            requireInstalled("start_db_with_conf_changes");
            if (server.running()) {
                server.stop();
            }
            applyConfiguration(configContents, memoryMb);
            markers.clear(STOPPED_MARKER);
            startAndReport();
        });
    }

    /** {@code reset_configuration}: put back the configuration of the old flavor (no restart, as in Trove). */
    public void resetConfiguration(String configContents) {
        exclusive(() -> {
            requireInstalled("reset_configuration");
            applyConfiguration(configContents, null);
        });
    }

    /**
     * {@code update_overrides}: writes a configuration group's values into the overrides layer, for the next start
     * (nothing changes at runtime: that is {@link #applyOverrides}). The engine then checks what it can without a
     * restart; a value it refuses puts the previous layer back and fails with {@link ConfigurationRefused}.
     * {@code remove}: the group is detached, its layer goes (the values sent are ignored, as Trove's guest does).
     */
    public void updateOverrides(ObjectNode overrides, boolean remove) {
        exclusive(() -> {
            requireInstalled("update_overrides");
            ObjectNode values = remove || overrides == null ? PythonJson.object() : overrides;
            requireSingleValues(values);
            files.ensureLayout();
            String previous = files.readOverrides();
            files.writeOverrides(values);
            if (!values.isEmpty()) {
                try {
                    configurationOverrides().checkWritten(values, server.running());
                } catch (RuntimeException e) {
                    files.restoreOverrides(previous);
                    throw e;
                }
            }
            layerBeforeUpdate = new PreviousLayer(previous);
            // names only: a value may be anything a user typed
            log.info(remove ? "Configuration overrides removed (effective after apply_overrides or a restart)"
                    : "Configuration overrides written for {} (effective after apply_overrides or a restart)",
                    names(values));
        });
    }

    /**
     * {@code apply_overrides}: makes {@code values} take effect in the running server (the control plane calls it
     * only when none needs a restart; on a detach with the defaults of the group's parameters). A value the server
     * refuses undoes the apply, puts back the layer the {@code update_overrides} before it replaced, and fails with
     * {@link ConfigurationRefused}. A stopped server reads the layer when it starts: nothing to apply then.
     */
    public void applyOverrides(ObjectNode values) {
        exclusive(() -> {
            requireInstalled("apply_overrides");
            ObjectNode toApply = values == null ? PythonJson.object() : values;
            requireSingleValues(toApply);
            PreviousLayer previous = layerBeforeUpdate;
            layerBeforeUpdate = null;
            if (!server.running()) {
                log.info("The database is not running: the configuration overrides take effect when it starts");
                return;
            }
            configurationOverrides().apply(toApply, () -> {
                if (previous != null) {
                    files.restoreOverrides(previous.text());
                }
            });
            log.info("Configuration overrides applied at runtime for {}", names(toApply));
        });
    }

    /** A configuration value is one scalar on one line: anything else could not be written as one setting. */
    private static void requireSingleValues(ObjectNode values) {
        values.fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            if (value.isContainerNode()) {
                throw new ConfigurationRefused(e.getKey(), "the value must be a single value, not a list or object");
            }
            if (value.isTextual() && (value.asText().contains("\n") || value.asText().contains("\r"))) {
                throw new ConfigurationRefused(e.getKey(), "a value may not span lines");
            }
        });
    }

    private static List<String> names(ObjectNode values) {
        List<String> names = new ArrayList<>();
        values.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** An overrides layer's text before an update (null: there was none). */
    private record PreviousLayer(String text) {
    }

    /**
     * {@code resize_fs}, after the volume was extended: grows the block device's file system, online when
     * asked and allowed, else with the database stopped meanwhile (see {@link DataVolume#grow}). The local back
     * end's volume is a directory with no file system of its own to grow: it is only checked.
     */
    public void resizeFs(String mountPoint, boolean online) {
        Optional<Path> grown = supply(() -> dataVolume.grow(volume(), online, this::stopForResize));
        requireDirectory(grown.orElseGet(() -> mountPoint == null ? volume() : Path.of(mountPoint)));
    }

    /** Not a stop_db: no marker, and the database comes back once the file system is grown. */
    private Runnable stopForResize() {
        if (!server.running()) {
            return () -> { };
        }
        server.stop();
        return () -> {
            startServer();
            status.report(awaitHealthy());
        };
    }

    /** {@code mount_volume}: mounts the block device at the data directory; a directory volume is checked. */
    public void mountVolume(String mountPoint) {
        if (!supply(() -> dataVolume.mount(volume()))) {
            checkVolume(mountPoint);
        }
    }

    /**
     * {@code unmount_volume}: unmounts the block device (the database must be stopped); a directory volume is
     * checked.
     */
    public void unmountVolume(String mountPoint) {
        if (!supply(() -> dataVolume.unmount(volume()))) {
            checkVolume(mountPoint);
        }
    }

    /** Nothing to (un)mount for a directory volume: it only has to be there. */
    public void checkVolume(String mountPoint) {
        requireDirectory(mountPoint == null ? volume() : Path.of(mountPoint));
    }

    /** {@code get_filesystem_stats}: Trove's figures for the volume ({@code fs_path} is ignored by Trove too). */
    public ObjectNode filesystemStats(String fsPath) {
        Path path = fsPath == null ? volume() : Path.of(fsPath);
        ObjectNode stats = FilesystemStats.of(path);
        stats.set("mgr_extra_info", volumeExtraInfo());
        return stats;
    }

    /**
     * The agent started on this volume. If it was prepared, the database should be running unless it was
     * stopped on request: start it, like a VM whose database comes back after a host reboot.
     */
    public void onAgentStart() {
        exclusive(() -> {
            try {
                dataVolume.remount(volume());
            } catch (RuntimeException e) {
                log.error("Could not mount the data volume: {}", describe(e));
            }
            if (!installed()) {
                log.info("Data directory {} is not prepared: waiting for prepare", volume());
                return;
            }
            if (markers.has(STOPPED_MARKER)) {
                log.info("Database was stopped on request: leaving it stopped");
                status.report(probe());
                return;
            }
            if (server.running()) {
                // it kept running while the agent was away: report what it is, do not wait on it
                status.report(probe());
                return;
            }
            log.info("Prepared database is not running: starting it");
            try {
                startServer();
            } catch (RuntimeException e) {
                log.error("Could not start the database: {}", describe(e));
            }
            status.report(awaitHealthy());
        });
    }

    /**
     * {@code prepare} arguments that cannot even be read (a malformed user list, say) fail the prepare like
     * any other error: {@code failed to spawn} and a fault, rather than a silently dropped cast.
     */
    public void prepareRejected(RpcContext context, RuntimeException error) {
        exclusive(() -> {
            if (installed()) {
                log.warn("Unreadable prepare for an already prepared data directory ignored: {}", describe(error));
                return;
            }
            failPrepare(context, error);
        });
    }

    // ---- replication -----------------------------------------------------------------------------------------

    /** {@code backup_required_for_replication}: a replica is always seeded from a backup of its source. */
    public boolean backupRequiredForReplication() {
        return replication("backup_required_for_replication") != null;
    }

    /**
     * {@code get_replication_snapshot}, on the source: enables it as a source, stores a full backup of it as
     * {@code snapshotInfo} describes (Trove's backup_info shape; reported to the conductor like any backup), and
     * answers Trove's snapshot: {@code dataset} (with {@code snapshot_id}, the backup's id),
     * {@code replication_strategy}, {@code master} and {@code replica_conf} (the replication user: a secret).
     */
    public ObjectNode replicationSnapshot(RpcContext context, JsonNode snapshotInfo) {
        ReplicationEngine engine = replication("get_replication_snapshot");
        requireInstalled("get_replication_snapshot");
        BackupRequest request = BackupRequest.fromWire(snapshotInfo);
        exclusive(engine::enableAsSource);
        ObjectNode outcome = backups.create(authToken(context), request, backupEngine(),
                backupEngine() == null ? "Backups are not supported for datastore manager '" + name()
                        + "' by this guest agent" : null);
        if (!BackupState.COMPLETED.name().equals(outcome.path("state").asText())) {
            throw new GuestError("The replication snapshot's backup " + request.id() + " failed: "
                    + outcome.path("failure_reason").asText("no reason given"));
        }
        ObjectNode replicaContext = supply(engine::replicaContext);
        ObjectNode stats = filesystemStats(null);
        ObjectNode snapshot = PythonJson.object();
        ObjectNode dataset = snapshot.putObject("dataset");
        dataset.put("datastore_manager", name());
        dataset.set("dataset_size", stats.path("used"));
        dataset.set("volume_size", stats.path("total"));
        dataset.put("snapshot_id", request.id());
        snapshot.put("replication_strategy", engine.strategy());
        replicaContext.fields().forEachRemaining(e -> snapshot.set(e.getKey(), e.getValue()));
        log.info("Replication snapshot {} taken", request.id());
        return snapshot;
    }

    /** {@code get_replica_context}, on the source. */
    public ObjectNode replicaContext() {
        ReplicationEngine engine = replication("get_replica_context");
        return supply(() -> {
            requireInstalled("get_replica_context");
            return engine.replicaContext();
        });
    }

    /** {@code enable_as_master}: Trove sends its rendered source configuration, which TroveJ's engines do not need. */
    public void enableAsMaster() {
        ReplicationEngine engine = replication("enable_as_master");
        exclusive(() -> {
            requireInstalled("enable_as_master");
            engine.enableAsSource();
        });
    }

    /** {@code attach_replica}. */
    public void attachReplica(ObjectNode replicaInfo, boolean restart) {
        ReplicationEngine engine = replication("attach_replica");
        exclusive(() -> {
            requireInstalled("attach_replica");
            engine.attachReplica(replicaInfo, restart);
        });
        status.report(awaitHealthy());
    }

    /** {@code detach_replica}. */
    public ObjectNode detachReplica(boolean forFailover) {
        ReplicationEngine engine = replication("detach_replica");
        ObjectNode info = supply(() -> {
            requireInstalled("detach_replica");
            return engine.detachReplica(forFailover);
        });
        status.report(awaitHealthy());
        return info;
    }

    /** {@code make_read_only}. */
    public void makeReadOnly(boolean readOnly) {
        ReplicationEngine engine = replication("make_read_only");
        exclusive(() -> {
            requireInstalled("make_read_only");
            engine.makeReadOnly(readOnly);
        });
    }

    /** {@code demote_replication_master}. */
    public void demoteReplicationMaster() {
        ReplicationEngine engine = replication("demote_replication_master");
        exclusive(() -> {
            requireInstalled("demote_replication_master");
            engine.demoteSource();
        });
        status.report(awaitHealthy());
    }

    /** {@code get_latest_txn_id}. */
    public String latestTxnId() {
        ReplicationEngine engine = replication("get_latest_txn_id");
        requireInstalled("get_latest_txn_id");
        return engine.latestTxnId();
    }

    /** {@code get_last_txn}. */
    public ArrayNode lastTxn() {
        ReplicationEngine engine = replication("get_last_txn");
        requireInstalled("get_last_txn");
        return engine.lastTxn();
    }

    /**
     * {@code wait_for_txn}: not under the lifecycle lock (it may wait long, and the status loop must go on); fails
     * after {@code timeout}.
     */
    public void waitForTxn(String txn, Duration timeout) {
        ReplicationEngine engine = replication("wait_for_txn");
        requireInstalled("wait_for_txn");
        engine.waitForTxn(txn, timeout);
    }

    private ReplicationEngine replication(String method) {
        ReplicationEngine engine = replicationEngine();
        if (engine == null) {
            throw new GuestError("Replication (" + method + ") is not supported for datastore manager '" + name()
                    + "' by this guest agent");
        }
        return engine;
    }

    /** The snapshot of a replica's prepare, or null for any other prepare. */
    private static ObjectNode replicaSnapshot(PrepareRequest request) {
        JsonNode snapshot = request.snapshot();
        if (snapshot == null || snapshot.isNull()) {
            return null;
        }
        if (!snapshot.isObject() || !snapshot.path("master").isObject()) {
            throw new GuestError("The replication snapshot has no source (master) to follow");
        }
        return (ObjectNode) snapshot;
    }

    // ---- status ---------------------------------------------------------------------------------------------

    @Override
    public boolean installed() {
        return markers.has(PREPARED_MARKER);
    }

    /** The volume's used space for the heartbeat, once prepared (before, the volume holds nothing of the user's). */
    @Override
    public Double volumeUsedGb() {
        return installed() ? FilesystemStats.usedGb(volume()) : null;
    }

    /** The server's pid: a change (a crash, a restart behind the agent's back) makes the status loop probe. */
    @Override
    public Object quickState() {
        return server.pid();
    }

    @Override
    public boolean whenIdle(Runnable check) {
        if (!operation.tryLock()) {
            return false;
        }
        try {
            check.run();
            return true;
        } finally {
            operation.unlock();
        }
    }

    /**
     * The database died on its own (killed, crashed), as opposed to stopped on request ({@code stop_db}'s marker)
     * or by an operation (which holds the operation lock, so this does not run meanwhile): start it again, as
     * systemd's {@code Restart=} would, backing off while it keeps dying, and report it as the instance's fault
     * through the conductor, so that the restart is visible and its cause can be looked for.
     */
    @Override
    public void restartIfDied() {
        try {
            long now = System.nanoTime();
            if (!installed() || markers.has(STOPPED_MARKER)) {
                return;
            }
            if (server.running()) {
                databaseRestarts.running(now);
                return;
            }
            if (!databaseRestarts.due(now)) {
                return;
            }
            int attempt = databaseRestarts.started(now);
            log.warn("The database stopped unexpectedly: starting it again (attempt {} in a row, the next no sooner "
                    + "than {} s)", attempt, databaseRestarts.nextDelay().toSeconds());
            ServiceStatus after;
            String outcome;
            try {
                startServer();
                after = awaitHealthy();
                outcome = after == ServiceStatus.HEALTHY ? "was started again"
                        : "was started again but is " + after.description();
            } catch (RuntimeException e) {
                log.error("Could not start the database again: {}", describe(e));
                after = probe();
                outcome = "could not be started again: " + describe(e);
            }
            status.report(after);
            conductor.notifyExcInfo(null, "trove.instance.database_restart",
                    "The database stopped unexpectedly and " + outcome,
                    List.of("Restarted by the guest agent, attempt " + attempt + " in a row"));
        } catch (RuntimeException e) {
            log.warn("Restarting the database failed: {}", describe(e));
        }
    }

    /** Probes until the database is healthy or has stopped starting up, at most {@link #HEALTHY_WAIT}. */
    protected ServiceStatus awaitHealthy() {
        long deadline = System.nanoTime() + HEALTHY_WAIT.toNanos();
        ServiceStatus current = probe();
        while (current != ServiceStatus.HEALTHY && current != ServiceStatus.SHUTDOWN
                && System.nanoTime() < deadline) {
            Pause.sleep(500);
            current = probe();
        }
        return current;
    }

    /**
     * Before a prepare sets the volume up: it belongs to the database's OS user (as Trove's guest chowns its mount
     * point), and a server an interrupted earlier prepare left running is stopped (initialising needs it down).
     */
    private void claimVolume() {
        OsUser.ensureDirectory(volume(), settings.runAs(), "rwx------");
        if (server.running()) {
            server.stop();
        }
    }

    private void startAndReport() {
        // the server reads the overrides layer as it is: an update before this start is settled, and a later
        // apply must not put back what that update replaced
        layerBeforeUpdate = null;
        startServer();
        ServiceStatus now = awaitHealthy();
        status.report(now);
        if (now != ServiceStatus.HEALTHY) {
            throw new GuestError("Database did not become healthy after start (status: " + now.description() + ")");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private void exclusive(Runnable body) {
        operation.lock();
        try {
            body.run();
        } finally {
            operation.unlock();
        }
    }

    private <T> T supply(Supplier<T> body) {
        operation.lock();
        try {
            return body.get();
        } finally {
            operation.unlock();
        }
    }

    private void refuseUnsupported(PrepareRequest request) {
        if (request.backupInfo() != null && !request.backupInfo().isNull() && backupEngine() == null) {
            throw new GuestError("Restoring from a backup is not supported for datastore manager '" + name()
                    + "' by this guest agent");
        }
        if (request.snapshot() != null && replicationEngine() == null) {
            throw new GuestError("Replication is not supported for datastore manager '" + name()
                    + "' by this guest agent");
        }
        if (request.snapshot() != null && (request.backupInfo() == null || request.backupInfo().isNull())) {
            throw new GuestError("A replica is prepared from its source's snapshot: prepare sent a snapshot "
                    + "without backup_info");
        }
        if (request.clusterConfig() != null) {
            throw new GuestError("Clusters are not supported by this guest agent");
        }
        if (request.modules() != null && request.modules().size() > 0) {
            log.warn("Modules are not supported by this guest agent: {} ignored", request.modules().size());
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void nonCritical(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            log.warn("An error occurred {}: {}", what, describe(e));
        }
    }

    private void requireInstalled(String operationName) {
        if (!installed()) {
            throw new GuestError("Cannot " + operationName + ": the datastore has not been prepared");
        }
    }

    private static void requireDirectory(Path path) {
        if (!Files.isDirectory(path)) {
            throw new GuestError("Volume directory " + path + " does not exist");
        }
    }

    /**
     * The fault first, confirmed by the conductor, then {@code failed to spawn}: the API shows ERROR from that status,
     * and a client that sees ERROR must find the fault saying why.
     */
    private void failPrepare(RpcContext context, Exception e) {
        log.error("Prepare failed: {}", describe(e));
        try {
            conductor.notifyExcInfo(context, "trove.instance.create", describe(e), traceback(e));
        } catch (RuntimeException sendError) {
            log.warn("Could not report the prepare failure to the conductor: {}", sendError.getMessage());
        }
        status.report(ServiceStatus.FAILED);
    }

    protected static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static int memoryOf(Integer memoryMb) {
        return memoryMb == null || memoryMb <= 0 ? machineMemoryMb() : memoryMb;
    }

    /** The machine's RAM in MB (what a VM's flavor gives it), for a prepare without {@code memory_mb}. */
    private static int machineMemoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return (int) (Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: a VM of the smallest usual flavor
        }
        return 1024;
    }

    /** Trove sends Python traceback lines; ours are the Java equivalent, one frame per line, causes included. */
    static List<String> traceback(Throwable error) {
        List<String> lines = new ArrayList<>();
        for (Throwable t = error; t != null && lines.size() < 60; t = t.getCause()) {
            lines.add((t == error ? "" : "Caused by: ") + t.getClass().getName() + ": " + describe(t) + "\n");
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, 12); i++) {
                lines.add("    at " + frames[i] + "\n");
            }
        }
        return lines;
    }
}
