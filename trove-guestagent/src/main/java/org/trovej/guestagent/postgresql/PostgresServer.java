package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.DatabaseServer;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.datastore.ServerLog;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * The PostgreSQL server process: initdb, the agent's admin role, pg_ctl start/stop, and what
 * {@code postmaster.pid} says about the running server. Every program runs as {@code run_as}.
 */
final class PostgresServer implements DatabaseServer {

    /** The state of the server process as its pid file and /proc tell it, without connecting. */
    record ProcessState(long pid, String status) {
        static final ProcessState NONE = new ProcessState(0, "none");

        boolean running() {
            return pid != 0;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(5);
    private static final int PG_CTL_WAIT_SECONDS = 120;
    /** A restored incremental chain is replayed at the first start: as long as its WAL takes, within reason. */
    private static final Duration RECOVERY_WAIT = Duration.ofHours(2);

    private final PostgresSettings settings;
    private final Commands commands;

    PostgresServer(PostgresSettings settings, Commands commands) {
        this.settings = settings;
        this.commands = commands;
    }

    boolean initialized() {
        return Files.exists(settings.pgData().resolve("PG_VERSION"));
    }

    /**
     * Creates the cluster. Authentication is left closed ({@code peer} locally, {@code reject} over TCP)
     * because pg_hba.conf is replaced before the server first starts; the bootstrap superuser is
     * {@code postgres}, whatever the OS user is called, and has no password until root is enabled.
     */
    void initdb() {
        OsUser.ensureDirectory(settings.pgData(), settings.runAs(), "rwx------");
        log.info("Initialising the database cluster in {}", settings.pgData());
        initdbInto(settings.pgData(), initdbOptions());
    }

    /**
     * A cluster for these programs in {@code dir}, with the options of every cluster the agent makes: what an upgrade
     * converts the old one into (pg_upgrade wants the same encoding, locale and bootstrap superuser).
     */
    void initdbAt(Path dir) {
        OsUser.ensureDirectory(dir, settings.runAs(), "rwx------");
        log.info("Initialising a PostgreSQL {} cluster in {}", majorVersion(), dir);
        initdbInto(dir, initdbOptions());
    }

    /** The major version of these programs (15; 9 for 9.6). */
    int major() {
        return (int) Double.parseDouble(majorVersion());
    }

    private static List<String> initdbOptions() {
        List<String> options = new ArrayList<>(List.of("-U", "postgres", "-E", "UTF8", "--auth-local=peer",
                "--auth-host=reject"));
        options.add(hasLocale("C.utf8") ? "--locale=C.UTF-8" : "--no-locale");
        return options;
    }

    private void initdbInto(Path dir, List<String> options) {
        List<String> command = new ArrayList<>(List.of(settings.tool("initdb").toString(), "-D", dir.toString()));
        command.addAll(options);
        CommandResult result = commands.run(command, settings.dataDir(), null, INITDB_TIMEOUT);
        if (!result.ok()) {
            throw new GuestError("initdb failed (exit " + result.exitCode() + "): " + result.tail(6));
        }
    }

    /**
     * Creates the cluster as a copy of the pristine template for this PostgreSQL version and these initdb
     * options under {@code template_dir}, building the template first if no guest on this host has yet.
     * The copy is made next to PGDATA and renamed into place, so a crash never leaves half a cluster that
     * {@link #initialized()} would take for a whole one. Copies share initdb's system identifier (and the
     * mock-authentication nonce in pg_control): harmless for independent instances, not for physical
     * replication between two of them.
     */
    void initFromTemplate() {
        Path pgData = settings.pgData();
        try {
            if (Files.isDirectory(pgData)) {
                Files.delete(pgData); // an empty leftover of an interrupted initdb; anything else: see below
            }
        } catch (IOException e) {
            log.warn("{} exists and is not empty: running initdb, not copying the template", pgData);
            initdb();
            return;
        }
        List<String> options = initdbOptions();
        Path template = ensureTemplate(options);
        Path copy = settings.dataDir().resolve("data.copying");
        TemplateDirectories.deleteTree(copy);
        log.info("Copying the template cluster {} to {} (no initdb)", template, pgData);
        CommandResult result = commands.run(List.of("cp", "-a", "--", template.toString(), copy.toString()),
                settings.dataDir(), null, INITDB_TIMEOUT);
        if (!result.ok()) {
            TemplateDirectories.deleteTree(copy);
            throw new GuestError("copying the template cluster " + template + " failed (exit " + result.exitCode()
                    + "): " + result.tail(4));
        }
        try {
            Files.move(copy, pgData, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new GuestError("cannot move the copied cluster into " + pgData + ": " + e.getMessage(), e);
        }
    }


    /** {@code <template_dir>/<major version>-<hash of binaries, run_as and initdb options>}, built if absent. */
    private Path ensureTemplate(List<String> options) {
        String key = majorVersion() + "-" + TemplateDirectories.hash(binDirIdentity() + "\n" + settings.runAs()
                + "\n" + String.join(" ", options));
        try {
            return TemplateDirectories.ensure(settings.templateDir(), key, "PG_VERSION", settings.runAs(),
                    "template cluster", building -> initdbInto(building, options));
        } catch (IOException e) {
            throw new GuestError("cannot build the template cluster in " + settings.templateDir()
                    + " ([postgresql] template_dir): " + e.getMessage(), e);
        }
    }

    /** "15" from Debian's /usr/lib/postgresql/15/bin, else what {@code postgres --version} says. */
    private String majorVersion() {
        Path binDir = settings.tool("postgres").getParent();
        Path parent = binDir.toAbsolutePath().getParent();
        if (parent != null && parent.getFileName() != null
                && parent.getFileName().toString().matches("\\d+(\\.\\d+)?")) {
            return parent.getFileName().toString();
        }
        CommandResult result = commands.run(List.of(settings.tool("postgres").toString(), "--version"),
                settings.dataDir(), null, Duration.ofSeconds(30));
        Matcher m = Pattern.compile("(\\d+)(\\.\\d+)?").matcher(result.stdout());
        if (!result.ok() || !m.find()) {
            throw new GuestError("cannot tell the PostgreSQL version of " + binDir + ": " + result.tail(2));
        }
        // before 10 the major version had two parts (9.6)
        return Integer.parseInt(m.group(1)) < 10 && m.group(2) != null ? m.group(1) + m.group(2) : m.group(1);
    }

    /** The binaries' real location and their postgres program's size and date: an upgrade gets a new template. */
    private String binDirIdentity() {
        Path postgres = settings.tool("postgres");
        try {
            return postgres.toRealPath() + " " + Files.size(postgres) + " " + Files.getLastModifiedTime(postgres);
        } catch (IOException e) {
            return postgres.toString();
        }
    }

    /** C.UTF-8 gives Unicode-aware upper()/lower() at C collation speed, where the system has it. */
    private static boolean hasLocale(String name) {
        return Files.isDirectory(Path.of("/usr/lib/locale", name)) || Files.isDirectory(Path.of("/usr/lib/locale",
                name.replace("utf8", "UTF-8")));
    }

    /** The statement creating or re-keying the agent's superuser, with the password as a SCRAM verifier. */
    private static String adminRoleSql(String verifier) {
        String role = PostgresConfigFiles.ADMIN_ROLE;
        // a tagged dollar quote: the verifier itself contains '$'
        return "DO $agent$BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN "
                + "ALTER ROLE " + role + " WITH SUPERUSER LOGIN PASSWORD '" + verifier + "'; ELSE "
                + "CREATE ROLE " + role + " WITH SUPERUSER LOGIN PASSWORD '" + verifier + "'; END IF; END$agent$;\n";
    }

    /**
     * Creates (or re-keys) the agent's superuser while the server is down, in single-user mode: no network
     * and no authentication are involved, so no window exists in which anything is open. The password goes
     * over stdin as a SCRAM verifier, so the plain text never reaches the server or its logs. Costs a server
     * start of its own: used only when there is no psql ({@link #canCreateAdminRoleOnline()}).
     */
    void bootstrapAdminRole(String password) {
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        List<String> command = List.of(settings.tool("postgres").toString(), "--single", "-D",
                settings.pgData().toString(), "postgres");
        CommandResult result = commands.run(command, settings.dataDir(), adminRoleSql(verifier), Duration.ofMinutes(2));
        checkAdminRoleResult(result, verifier);
    }

    /** Whether psql is there to create the agent's role over the Unix socket once the server runs. */
    boolean canCreateAdminRoleOnline() {
        return settings.binDir() != null && Files.isExecutable(settings.binDir().resolve("psql"));
    }

    /**
     * Creates (or re-keys) the agent's superuser in the running server, as {@code postgres} over the Unix
     * socket with {@code peer} authentication: pg_hba.conf's bootstrap line maps only the OS user {@code run_as}
     * (who owns the data files anyway) to {@code postgres}, the kernel vouches for who connects, and nothing
     * over TCP is open to a role without a password. Saves the single-user server start. The verifier goes
     * over psql's stdin, never on a command line.
     */
    void createAdminRoleOnline(String password) {
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        List<String> command = List.of(settings.tool("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", settings.socketDir().toString(), "-p", Integer.toString(settings.port()), "-U", "postgres",
                "-d", "postgres", "-f", "-");
        CommandResult result = commands.run(command, settings.dataDir(), adminRoleSql(verifier), Duration.ofMinutes(2));
        checkAdminRoleResult(result, verifier);
    }

    private static void checkAdminRoleResult(CommandResult result, String verifier) {
        String errors = (result.stdout() + "\n" + result.stderr()).lines()
                .filter(l -> l.contains("ERROR:") || l.contains("FATAL:") || l.contains("PANIC:")
                        || l.contains("error:"))
                .filter(l -> !l.contains(verifier))
                .collect(Collectors.joining(" | "));
        if (!result.ok() || !errors.isEmpty()) {
            throw new GuestError("could not create the agent's admin role (exit " + result.exitCode() + "): "
                    + (errors.isEmpty() ? result.tail(3) : errors));
        }
    }

    /** pg_ctl reload: the server rereads its configuration files (pg_hba.conf) now. */
    void reload() {
        CommandResult result = commands.run(List.of(settings.tool("pg_ctl").toString(), "reload", "-D",
                settings.pgData().toString(), "-s"), settings.dataDir(), null, Duration.ofSeconds(30));
        if (!result.ok()) {
            throw new GuestError("pg_ctl reload failed (exit " + result.exitCode() + "): " + result.tail(3));
        }
    }

    /**
     * pg_ctl start, waiting until the server accepts connections; on failure the server log says why. With
     * {@code recovery.signal} (a restored incremental chain) the start is the archive recovery, and the wait
     * lasts until it has ended and the server has promoted itself: read-only connections during the replay are
     * not yet the restored instance.
     */
    void start() {
        Path pgCtl = settings.tool("pg_ctl");
        settings.requireSocketLength(settings.socketDir().resolve(".s.PGSQL." + settings.port()), "socket_dir");
        OsUser.ensureDirectory(settings.socketDir(), settings.runAs(), "rwxr-xr-x");
        OsUser.touch(settings.logFile(), settings.runAs(), "rw-------");
        ServerLog serverLog = new ServerLog(settings.logFile());
        long logOffset = serverLog.end();
        log.info("Starting PostgreSQL on {}:{}", settings.bindHost(), settings.port());
        // -W: pg_ctl launches and returns; the wait below looks every 10 ms where pg_ctl -w looks every 100 ms
        CommandResult result = commands.run(List.of(pgCtl.toString(), "start", "-D", settings.pgData().toString(),
                "-l", settings.logFile().toString(), "-W", "-s"), settings.dataDir(), null, Duration.ofSeconds(60));
        if (!result.ok()) {
            String why = serverLog.since(logOffset);
            throw new GuestError("PostgreSQL did not start (pg_ctl exit " + result.exitCode() + "): "
                    + (why.isEmpty() ? result.tail(3) : why));
        }
        awaitReady(serverLog, logOffset);
    }

    /**
     * Waits, as pg_ctl -w does, for the postmaster to record itself ready in postmaster.pid; a postmaster that
     * never writes the file (it refused its configuration) or goes away fails with what its log says.
     */
    private void awaitReady(ServerLog serverLog, long logOffset) {
        Path recoverySignal = settings.pgData().resolve(PostgresConfigFiles.RECOVERY_SIGNAL);
        boolean archiveRecovery = Files.exists(recoverySignal);
        if (archiveRecovery) {
            log.info("PostgreSQL starts with an archive recovery: waiting until it has replayed the restored WAL");
        }
        long started = System.nanoTime();
        long deadline = started + (archiveRecovery ? RECOVERY_WAIT : Duration.ofSeconds(PG_CTL_WAIT_SECONDS))
                .toNanos();
        long noPidFileGrace = started + Duration.ofSeconds(5).toNanos();
        boolean seen = false;
        while (System.nanoTime() < deadline) {
            String status = startupStatus();
            if (!archiveRecovery && ("ready".equals(status) || "standby".equals(status))) {
                return;
            }
            // the server removes the signal file when the recovery has ended, before it opens for writing
            if (archiveRecovery && "ready".equals(status) && !Files.exists(recoverySignal)) {
                return;
            }
            if (status != null) {
                seen = true;
            } else if (seen || System.nanoTime() > noPidFileGrace) {
                // the reason, not the shutdown lines after it (a failed recovery logs several); a configuration file
                // with errors names the bad setting only in a LOG line before its FATAL one
                String why = serverLog.since(logOffset, l -> l.contains("FATAL:") || l.contains("PANIC:")
                        || l.contains("unrecognized configuration parameter")
                        || l.contains("invalid value for parameter"));
                throw new GuestError("PostgreSQL did not start: " + (why.isEmpty() ? "the server exited" : why));
            }
            Pause.sleep(10, "while PostgreSQL was starting");
        }
        throw new GuestError("PostgreSQL did not become ready within " + (archiveRecovery
                ? RECOVERY_WAIT.toMinutes() + " min of archive recovery: " : PG_CTL_WAIT_SECONDS + " s: ")
                + serverLog.since(logOffset));
    }

    /** The live postmaster's status line (line 8 of postmaster.pid), "" while it is not written yet, or null. */
    private String startupStatus() {
        ProcessState state = processState();
        if (!state.running()) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(settings.pgData().resolve("postmaster.pid"));
            return lines.size() >= 8 ? lines.get(7).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** pg_ctl stop -m fast (sessions are ended, data is safe); immediate only if fast does not finish. */
    @Override
    public void stop() {
        Path pgCtl = settings.tool("pg_ctl");
        log.info("Stopping PostgreSQL");
        CommandResult result = commands.run(List.of(pgCtl.toString(), "stop", "-D", settings.pgData().toString(),
                "-m", "fast", "-w", "-t", "60", "-s"), settings.dataDir(), null, Duration.ofSeconds(90));
        if (!result.ok() && processState().running()) {
            log.warn("Fast shutdown did not finish ({}); stopping immediately", result.tail(2));
            result = commands.run(List.of(pgCtl.toString(), "stop", "-D", settings.pgData().toString(),
                    "-m", "immediate", "-w", "-t", "30", "-s"), settings.dataDir(), null, Duration.ofSeconds(60));
            if (!result.ok() && processState().running()) {
                throw new GuestError("PostgreSQL did not stop: " + result.tail(3));
            }
        }
    }

    @Override
    public long pid() {
        return processState().pid();
    }

    /**
     * Reads {@code postmaster.pid}: line 1 is the postmaster's pid, line 8 its state ({@code starting},
     * {@code ready}, {@code stopping}, {@code standby}). A pid file whose process is gone, or is another
     * program after a reboot reused the pid, means no server.
     */
    ProcessState processState() {
        Path pidFile = settings.pgData().resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            return ProcessState.NONE;
        }
        if (lines.isEmpty()) {
            return ProcessState.NONE;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return ProcessState.NONE;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return ProcessState.NONE;
        }
        Optional<String> command = handle.get().info().command();
        if (command.isPresent() && !command.get().endsWith("postgres") && !command.get().endsWith("postmaster")) {
            return ProcessState.NONE;
        }
        String status = lines.size() >= 8 ? lines.get(7).strip() : "ready";
        return new ProcessState(pid, status);
    }

    @Override
    public String lastErrors() {
        return new ServerLog(settings.logFile()).since(0, l -> l.contains("FATAL:") || l.contains("PANIC:")
                || l.contains("terminated by signal"));
    }

}
