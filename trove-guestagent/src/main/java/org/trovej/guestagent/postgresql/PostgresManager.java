package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.common.json.PythonJson;
import org.trovej.common.status.ServiceStatus;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.AccountAdmin;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.FilesystemStats;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.PrepareRequest;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * PostgreSQL, run directly from the distribution's binaries (Trove's guest runs the same server in a
 * container): one cluster per volume, started with pg_ctl as {@code run_as}, administered by the agent as
 * {@code os_admin}.
 */
public final class PostgresManager extends DatastoreManager {

    private final PostgresSettings settings;
    private final PostgresServer server;
    private final PostgresConfigFiles files;
    private final PostgresAdmin admin;
    private final PostgresAccounts accounts;
    private final AdminCredentials.Cached adminPassword;

    public PostgresManager(GuestConfig config) {
        super(config);
        this.settings = PostgresSettings.from(config);
        requireUser(settings.runAs());
        this.server = new PostgresServer(settings, new Commands(settings.runAs()));
        this.files = new PostgresConfigFiles(settings, config.guestId());
        this.adminPassword = new AdminCredentials.Cached(settings.adminCredentials());
        this.admin = new PostgresAdmin(settings, adminPassword);
        this.accounts = new PostgresAccounts(admin, files);
    }

    private static void requireUser(String user) {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (IOException e) {
            throw new IllegalArgumentException("[postgresql] run_as: OS user '" + user + "' does not exist");
        }
    }

    public PostgresSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public Path volume() {
        return settings.dataDir();
    }

    @Override
    protected void initialize(PrepareRequest request) throws Exception {
        // the volume belongs to the database's user, as Trove's guest chowns its mount point
        OsUser.ensureDirectory(settings.dataDir(), settings.runAs(), "rwx------");
        if (server.processState().running()) {
            // an interrupted earlier prepare left it running; single-user mode below needs it down
            server.stop();
        }
        if (!server.initialized()) {
            if (settings.templateDir() != null) {
                server.initFromTemplate();
            } else {
                server.initdb();
            }
        }
        files.ensureIncludes();
        applyConfiguration(request.configContents(), request.configContents() == null
                ? memoryOf(request.memoryMb()) : null);
        files.writeOverrides(request.overrides());
        files.writeSystem();
        // with psql the role is made over the Unix socket after the start, saving a single-user server start
        boolean online = server.canCreateAdminRoleOnline();
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
        adminPassword.remember(password);
        try (Connection ignored = admin.connect("postgres")) {
            log.info("PostgreSQL is up; the agent's admin role can log in");
        } catch (SQLException e) {
            throw new GuestError("PostgreSQL started but the agent cannot log in: " + e.getMessage(), e);
        }
    }

    private static int memoryOf(Integer memoryMb) {
        return memoryMb == null || memoryMb <= 0 ? PostgresTuning.machineMemoryMb() : memoryMb;
    }

    @Override
    protected AccountAdmin accountAdmin() {
        return accounts;
    }

    @Override
    protected void startServer() {
        // rewritten at every start so that a changed [postgresql] bind_host or port takes effect
        files.writeSystem();
        server.start();
    }

    @Override
    protected void stopServer() {
        server.stop();
    }

    @Override
    protected boolean serverProcessRunning() {
        return server.processState().running();
    }

    @Override
    protected void applyConfiguration(String configContents, Integer memoryMb) {
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

    @Override
    public Object quickState() {
        return server.processState().pid();
    }

    /** Trove's PostgreSQL guest reports the WAL's size beside the file system figures. */
    @Override
    protected ObjectNode volumeExtraInfo() {
        ObjectNode info = PythonJson.object();
        info.put("wal_size", FilesystemStats.directorySize(settings.pgData().resolve("pg_wal")));
        info.put("wal_archive_size", 0);
        return info;
    }
}
