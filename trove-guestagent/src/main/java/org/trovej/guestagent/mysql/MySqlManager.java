package org.trovej.guestagent.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.trovej.common.backup.RestoreInfo;
import org.trovej.guestagent.backup.BackupEngine;
import org.trovej.guestagent.pitr.LogShipper;

import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.common.status.ServiceStatus;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.AccountAdmin;
import org.trovej.guestagent.datastore.ConfigurationOverrides;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.PrepareRequest;
import org.trovej.guestagent.log.EngineLogs;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.replication.ReplicationEngine;

/**
 * The MySQL family (Trove's {@code mysql_common}): one server per volume, run from the distribution's binaries
 * (Trove's guest runs the same server in a container) as {@code run_as}, configured only from option files on
 * the volume, administered by the agent as {@code os_admin}. The engines ({@code mariadb}, {@code mysql}) differ
 * in name and configuration section only. Backups and restores go through {@code mariabackup}
 * ({@link MariaBackupEngine}): a MariaDB server's under either name, never an Oracle MySQL server's.
 */
public abstract class MySqlManager extends DatastoreManager<MySqlSettings, MySqlServer, MySqlConfigFiles> {

    private final MySqlAdmin admin;
    private final MySqlAccounts accounts;
    private final MariaBackupEngine backupEngine;
    private final MySqlBinlogArchive binlogs;
    private final MySqlLogShipper logShipper;
    private final MySqlBinlogReplay binlogReplay;
    private final MySqlOverrides overrides;
    private final MySqlReplication replication;
    private final MySqlLogs logs;

    /** {@code settings} are the section named after the datastore manager served. */
    MySqlManager(GuestConfig config, MySqlSettings settings, MySqlServer server, MySqlConfigFiles files) {
        super(config, settings, server, files);
        this.admin = new MySqlAdmin(settings, adminPassword);
        this.accounts = new MySqlAccounts(admin);
        this.binlogs = new MySqlBinlogArchive(settings);
        this.backupEngine = new MariaBackupEngine(settings, server, new MariaBackupPrivileges(admin), adminPassword,
                admin, binlogs);
        this.logShipper = new MySqlLogShipper(server, admin, binlogs);
        this.binlogReplay = new MySqlBinlogReplay(settings, binlogs, adminPassword);
        this.overrides = new MySqlOverrides(settings, admin, new Commands(settings.runAs()));
        this.replication = new MySqlReplication(settings, admin, files, () -> {
            server.stop();
            startServer();
        });
        this.logs = new MySqlLogs(config, settings, files, admin);
    }

    public MySqlSettings settings() {
        return settings;
    }

    @Override
    protected void initialize(PrepareRequest request) throws Exception {
        settings.requireMysqld();
        String password = AdminCredentials.read(settings.adminCredentials());
        boolean restored = RestoreInfo.fromWire(request.backupInfo()) != null;
        if (restored && server.initialized()) {
            // the restored datadir has the source instance's agent accounts: this instance's password replaces
            // them at the first start (a prepare redelivered after a crash keeps the password it made)
            if (password == null) {
                password = AdminCredentials.create(settings.adminCredentials());
            }
            server.replaceAdminAccountsAtNextStart(password);
        } else if (!server.initialized()) {
            // a new password with every new datadir: it is written into the datadir's bootstrap
            password = AdminCredentials.create(settings.adminCredentials());
            if (settings.templateDir() != null) {
                server.installFromTemplate(password);
            } else {
                server.install(password);
            }
        } else if (password == null) {
            throw new GuestError("The datadir " + settings.datadir() + " exists but the agent's credentials "
                    + settings.adminCredentials() + " are missing");
        }
        adminPassword.remember(password);
        configure(request);
        startServer();
        requireAdminLogin("The server", admin::connect);
        if (restored) {
            // a point-in-time restore: the shipped binary log up to the moment, before anyone else connects
            binlogReplay.replayIfPending();
            dropForeignAdminAccounts();
        }
    }

    /**
     * The source instance's agent accounts from addresses this one does not connect from (its own address): they
     * would keep the source's password.
     */
    private void dropForeignAdminAccounts() throws SQLException {
        List<String> ours = server.adminHosts();
        try (Connection c = admin.connect()) {
            try (java.sql.Statement s = c.createStatement()) {
                // the agent's own accounts never enter the binary log (a replica must not diverge from its source)
                s.execute("SET SESSION sql_log_bin = 0");
            }
            List<String> foreign = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT Host FROM mysql.user WHERE User = ?")) {
                ps.setString(1, AdminCredentials.ADMIN_USER);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!ours.contains(rs.getString(1))) {
                            foreign.add(rs.getString(1));
                        }
                    }
                }
            }
            for (String host : foreign) {
                try (PreparedStatement ps = c.prepareStatement("DROP USER ?@?")) {
                    ps.setString(1, AdminCredentials.ADMIN_USER);
                    ps.setString(2, host);
                    ps.execute();
                }
                log.info("Dropped the source instance's agent account {}@{}", AdminCredentials.ADMIN_USER, host);
            }
        }
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
        // rewritten at every start so that a changed bind_host, port or socket takes effect
        files.ensureLayout();
        files.writeSystem();
        server.start(this::answers, admin::loginWorks);
    }

    private ServiceStatus answers() {
        ServiceStatus status = admin.probe();
        return status == null ? ServiceStatus.RUNNING : status;
    }

    /**
     * Not running → {@code shutdown}; answering (as {@code os_admin}, {@code SELECT 1}) → {@code healthy}; alive
     * but silent → {@code running} while it may still be starting up, {@code crashed} (hung) after that.
     */
    @Override
    public ServiceStatus probe() {
        MySqlServer.ProcessState state = server.processState();
        if (!state.running()) {
            return ServiceStatus.SHUTDOWN;
        }
        ServiceStatus answer = admin.probe();
        if (answer != null) {
            return answer;
        }
        Instant started = state.started();
        boolean startingUp = started == null
                || Duration.between(started, Instant.now()).compareTo(MySqlServer.STARTUP_GRACE) < 0;
        return startingUp ? ServiceStatus.RUNNING : ServiceStatus.CRASHED;
    }
}
