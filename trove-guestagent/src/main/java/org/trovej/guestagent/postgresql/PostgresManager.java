package org.trovej.guestagent.postgresql;


import java.nio.file.Files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.guestagent.backup.BackupEngine;
import org.trovej.guestagent.pitr.LogShipper;
import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.common.json.PythonJson;
import org.trovej.common.status.ServiceStatus;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.AccountAdmin;
import org.trovej.guestagent.datastore.ConfigurationOverrides;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.DatastoreUpgrade;
import org.trovej.guestagent.datastore.FilesystemStats;
import org.trovej.guestagent.datastore.PrepareRequest;
import org.trovej.guestagent.log.EngineLogs;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.replication.ReplicationEngine;

/**
 * PostgreSQL, run directly from the distribution's binaries (Trove's guest runs the same server in a
 * container): one cluster per volume, started with pg_ctl as {@code run_as}, administered by the agent as
 * {@code os_admin}.
 */
public final class PostgresManager extends DatastoreManager<PostgresSettings, PostgresServer, PostgresConfigFiles> {

    private final PostgresAdmin admin;
    private final PostgresAccounts accounts;
    private final WalArchive walArchive;
    private final WalArchivePruning walPruning;
    private final PostgresBackupEngine backupEngine;
    private final PostgresLogShipper logShipper;
    private final PostgresOverrides overrides;
    private final PostgresReplication replication;
    private final PostgresLogs logs;
    private final PostgresUpgrade upgrade;

    PostgresManager(GuestConfig config, PostgresSettings settings, PostgresServer server, PostgresConfigFiles files) {
        super(config, settings, server, files);
        this.admin = new PostgresAdmin(settings, adminPassword);
        this.accounts = new PostgresAccounts(admin, files);
        this.walArchive = WalArchive.of(settings);
        this.walPruning = new WalArchivePruning(walArchive, settings.dataDir(),
                settings.pgData().resolve(PostgresConfigFiles.RECOVERY_SIGNAL));
        this.backupEngine = new PostgresBackupEngine(settings, server, files, admin, adminPassword, walPruning);
        this.logShipper = new PostgresLogShipper(settings, server, admin);
        this.overrides = new PostgresOverrides(settings, admin, files, new Commands(settings.runAs()));
        this.replication = new PostgresReplication(settings, server, files, admin, adminPassword, walArchive,
                config.guestId(), this::startServer);
        this.logs = new PostgresLogs(config, settings, admin);
        this.upgrade = new PostgresUpgrade(settings, new Commands(settings.runAs()));
    }

    public PostgresSettings settings() {
        return settings;
    }

    @Override
    protected void initialize(PrepareRequest request) throws Exception {
        if (!server.initialized()) {
            if (settings.templateDir() != null) {
                server.initFromTemplate();
            } else {
                server.initdb();
            }
        }
        configure(request);
        files.writeSystem();
        walArchive.ensure();
        if (files.standbyConfigured()) {
            // a replica: its data, the agent's role included, is its source's and read-only; the agent logs in
            // with the source agent's password, which configureAsReplica adopted (nothing to create or re-key)
            files.writeHba(false);
            server.start();
            removeFinishedRecovery();
            requireAdminLogin("PostgreSQL (hot standby)", () -> admin.connect("postgres"));
            return;
        }
        // a restored backup of a replication source holds that source agent's password: not this agent's
        Files.deleteIfExists(settings.pgData().resolve(PostgresReplication.AGENT_PASSWORD_FILE));
        // with psql the role is made over the Unix socket after the start, saving a single-user server start
        boolean online = server.canCreateAdminRoleOnline();
        if (!online && files.recoveryPending()) {
            // a restored incremental chain is replayed by a normal start; single-user mode cannot do it
            server.start();
            server.stop();
        }
        files.writeHba(online);
        String password = AdminCredentials.read(settings.adminCredentials());
        if (password == null) {
            // stored before the role exists: a crash in between leaves a password to retry with, not a role
            // nobody knows the password of
            password = AdminCredentials.create(settings.adminCredentials());
        }
        if (online) {
            server.start();
            try {
                server.createAdminRoleOnline(password);
            } finally {
                files.writeHba(false);
                server.reload();
            }
        } else {
            server.bootstrapAdminRole(password);
            server.start();
        }
        removeFinishedRecovery();
        adminPassword.remember(password);
        requireAdminLogin("PostgreSQL", () -> admin.connect("postgres"));
    }

    @Override
    protected DatastoreUpgrade datastoreUpgrade() {
        return upgrade;
    }

    @Override
    protected BackupEngine backupEngine() {
        return backupEngine;
    }

    @Override
    protected LogShipper logShipper() {
        return logShipper;
    }

    @Override
    protected ReplicationEngine replicationEngine() {
        return replication;
    }

    @Override
    protected EngineLogs engineLogs() {
        return logs;
    }

    @Override
    protected ConfigurationOverrides configurationOverrides() {
        return overrides;
    }

    @Override
    protected AccountAdmin accountAdmin() {
        return accounts;
    }

    @Override
    protected void startServer() {
        // rewritten at every start so that a changed [postgresql] bind_host or port takes effect, and so that a
        // cluster prepared before the agent archived WAL archives it from now on
        files.writeSystem();
        walArchive.ensure();
        server.start();
        removeFinishedRecovery();
    }

    /** A restored chain's recovery settings go once the server has replayed it (it removes recovery.signal). */
    private void removeFinishedRecovery() {
        if (!files.recoveryPending()) {
            files.removeRecoverySettings();
        }
    }

    /** Prunes the WAL archive now and then (Trove's clean_wal_archives periodic task). */
    @Override
    public void housekeeping() {
        walPruning.pruneIfDue();
        replication.expireSeeds();
    }

    @Override
    public ServiceStatus probe() {
        PostgresServer.ProcessState state = server.processState();
        if (!state.running()) {
            return ServiceStatus.SHUTDOWN;
        }
        return switch (state.status()) {
            case "starting" -> ServiceStatus.RUNNING;
            case "stopping" -> ServiceStatus.SHUTDOWN;
            default -> admin.probe();
        };
    }

    /** Trove's PostgreSQL guest reports the WAL's size beside the file system figures. */
    @Override
    protected ObjectNode volumeExtraInfo() {
        ObjectNode info = PythonJson.object();
        info.put("wal_size", FilesystemStats.directorySize(settings.pgData().resolve("pg_wal")));
        info.put("wal_archive_size", walArchive.size());
        return info;
    }
}
