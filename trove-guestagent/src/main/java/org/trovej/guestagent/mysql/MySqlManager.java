package org.trovej.guestagent.mysql;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.common.status.ServiceStatus;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.AccountAdmin;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.PrepareRequest;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * The MySQL family (Trove's {@code mysql_common}): one server per volume, run from the distribution's binaries
 * (Trove's guest runs the same server in a container) as {@code run_as}, configured only from option files on
 * the volume, administered by the agent as {@code os_admin}. The engines ({@code mariadb}, {@code mysql}) differ
 * in name and configuration section only.
 */
public class MySqlManager extends DatastoreManager {

    private final String name;
    private final MySqlSettings settings;
    private final MySqlServer server;
    private final MySqlConfigFiles files;
    private final MySqlAdmin admin;
    private final MySqlAccounts accounts;
    private final AdminCredentials.Cached adminPassword;

    /**
     * @param name the datastore manager served, which is also the configuration section read
     */
    protected MySqlManager(GuestConfig config, String name) {
        super(config);
        this.name = name;
        this.settings = MySqlSettings.from(config, name);
        requireUser(settings.runAs(), name);
        this.server = new MySqlServer(settings, new Commands(settings.runAs()));
        this.files = new MySqlConfigFiles(settings);
        this.adminPassword = new AdminCredentials.Cached(settings.adminCredentials());
        this.admin = new MySqlAdmin(settings, adminPassword);
        this.accounts = new MySqlAccounts(admin);
    }

    private static void requireUser(String user, String section) {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (IOException e) {
            throw new IllegalArgumentException("[" + section + "] run_as: OS user '" + user + "' does not exist");
        }
    }

    public MySqlSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path volume() {
        return settings.dataDir();
    }

    @Override
    protected void initialize(PrepareRequest request) throws Exception {
        // the volume belongs to the database's user, as Trove's guest chowns its mount point
        OsUser.ensureDirectory(settings.dataDir(), settings.runAs(), "rwx------");
        settings.requireMysqld();
        if (server.processState().running()) {
            // an interrupted earlier prepare left it running
            server.stop();
        }
        String password = AdminCredentials.read(settings.adminCredentials());
        if (!server.initialized()) {
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
        files.ensureLayout();
        applyConfiguration(request.configContents(), request.configContents() == null
                ? memoryOf(request.memoryMb()) : null);
        files.writeOverrides(request.overrides());
        startServer();
        try (Connection ignored = admin.connect()) {
            log.info("The server is up; the agent's admin account can log in");
        } catch (SQLException e) {
            throw new GuestError("The server started but the agent cannot log in: " + e.getMessage(), e);
        }
    }

    private static int memoryOf(Integer memoryMb) {
        return memoryMb == null || memoryMb <= 0 ? machineMemoryMb() : memoryMb;
    }

    /** The machine's RAM in MB (what a VM's flavor gives it), for a prepare without {@code memory_mb}. */
    static int machineMemoryMb() {
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

    @Override
    protected AccountAdmin accountAdmin() {
        return accounts;
    }

    @Override
    protected void startServer() {
        // rewritten at every start so that a changed bind_host, port or socket takes effect
        files.ensureLayout();
        files.writeSystem();
        server.start(this::answers);
    }

    private ServiceStatus answers() {
        ServiceStatus status = admin.probe();
        return status == null ? ServiceStatus.RUNNING : status;
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

    @Override
    public Object quickState() {
        return server.processState().pid();
    }
}
