package org.trovej.guestagent.mysql;

import java.time.Duration;
import java.time.Instant;

import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.common.status.ServiceStatus;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.AccountAdmin;
import org.trovej.guestagent.datastore.DatastoreManager;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.PrepareRequest;

/**
 * The MySQL family (Trove's {@code mysql_common}): one server per volume, run from the distribution's binaries
 * (Trove's guest runs the same server in a container) as {@code run_as}, configured only from option files on
 * the volume, administered by the agent as {@code os_admin}. The engines ({@code mariadb}, {@code mysql}) differ
 * in name and configuration section only.
 */
public abstract class MySqlManager extends DatastoreManager<MySqlSettings, MySqlServer, MySqlConfigFiles> {

    private final MySqlAdmin admin;
    private final MySqlAccounts accounts;

    /** {@code settings} are the section named after the datastore manager served. */
    MySqlManager(GuestConfig config, MySqlSettings settings, MySqlServer server, MySqlConfigFiles files) {
        super(config, settings, server, files);
        this.admin = new MySqlAdmin(settings, adminPassword);
        this.accounts = new MySqlAccounts(admin);
    }

    public MySqlSettings settings() {
        return settings;
    }

    @Override
    protected void initialize(PrepareRequest request) throws Exception {
        settings.requireMysqld();
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
        configure(request);
        startServer();
        requireAdminLogin("The server", admin::connect);
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
