package org.trovej.guestagent.mysql;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.process.Processes;
import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.common.status.ServiceStatus;
import org.trovej.guestagent.datastore.DatabaseServer;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.datastore.ServerLog;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * The server process: the datadir made by {@code mariadb-install-db} (with the agent's account in it from the
 * start), {@code mariadbd --defaults-file=<data_dir>/my.cnf} started in the background, stopped with SIGTERM
 * (its normal shutdown), and what its pid file and /proc say about it.
 */
final class MySqlServer implements DatabaseServer {

    /** The server process as the pid file and /proc tell it, without connecting. */
    record ProcessState(long pid, Instant started) {
        static final ProcessState NONE = new ProcessState(0, null);

        boolean running() {
            return pid != 0;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MySqlServer.class);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    /** A process that does not answer yet is starting up for this long, crashed (hung) after. */
    static final Duration STARTUP_GRACE = Duration.ofSeconds(120);
    /** Every privilege, GRANT OPTION included: the {@code access} bits of an account in mysql.global_priv. */
    private static final String ALL_ACCESS = "18446744073709551615";

    private final MySqlSettings settings;
    private final Commands commands;
    /** The server this agent started, while it runs: a server that has not written its pid file yet. */
    private volatile Process launched;

    MySqlServer(MySqlSettings settings, Commands commands) {
        this.settings = settings;
        this.commands = commands;
    }

    boolean initialized() {
        return Files.isDirectory(settings.datadir().resolve("mysql"));
    }

    /**
     * Creates the datadir with {@code mariadb-install-db}: system tables, {@code root@localhost} reachable only
     * through the Unix socket by the OS's root (as Debian sets it up), no test database, and the agent's
     * {@code os_admin} accounts for this machine only, inserted in the bootstrap itself so no server ever runs
     * without them. Only the password's hash is written, to a file the server's user alone reads, removed
     * afterwards. The datadir is built beside its place and renamed into it, so a crash never leaves half a
     * datadir that {@link #initialized()} would take for a whole one.
     */
    void install(String adminPassword) {
        Path building = settings.dataDir().resolve("data.building");
        Path bootstrap = settings.dataDir().resolve("os_admin.bootstrap.sql");
        OsUser.writeFile(bootstrap, adminAccountsBootstrapSql(adminPassword), settings.runAs(), "rw-------");
        long started = System.nanoTime();
        log.info("Initialising the datadir {}", settings.datadir());
        try {
            installInto(building, bootstrap);
        } finally {
            MySqlConfigFiles.delete(bootstrap);
        }
        moveIntoPlace(building);
        log.info("Datadir initialised in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Creates the datadir as a copy of the pristine one for this server build and OS user under
     * {@code template_dir}, making that first if no guest on this host has yet. The template has no agent
     * accounts (their passwords are per instance): they are created by the first start's init file
     * ({@link #start}), which the server runs before it accepts a connection; until then only the socket's
     * {@code root@localhost} of the OS's root exists, as in any fresh datadir.
     */
    void installFromTemplate(String adminPassword) {
        Path template = ensureTemplate();
        Path copy = settings.dataDir().resolve("data.copying");
        TemplateDirectories.deleteTree(copy);
        long started = System.nanoTime();
        log.info("Copying the template datadir {} to {} (no install_db)", template, settings.datadir());
        CommandResult result = commands.run(List.of("cp", "-a", "--", template.toString(), copy.toString()),
                settings.dataDir(), null, INSTALL_TIMEOUT);
        if (!result.ok()) {
            TemplateDirectories.deleteTree(copy);
            throw new GuestError("copying the template datadir " + template + " failed (exit " + result.exitCode()
                    + "): " + result.tail(4));
        }
        OsUser.writeFile(settings.initFile(), adminAccountsInitSql(adminPassword), settings.runAs(), "rw-------");
        moveIntoPlace(copy);
        log.info("Datadir copied in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * After a restore: the datadir holds the source instance's agent accounts and their password. The first start's
     * init file replaces them with this instance's ({@code password}) before any connection, as after a template
     * copy.
     */
    void replaceAdminAccountsAtNextStart(String adminPassword) {
        OsUser.writeFile(settings.initFile(), adminAccountsInitSql(adminPassword), settings.runAs(), "rw-------");
    }

    /**
     * Whether the server program is MariaDB's (what {@code mariabackup} copies), not Oracle MySQL's (which needs
     * Percona XtraBackup): what {@code --version} says.
     */
    boolean isMariaDb() {
        Path mysqld = settings.requireMysqld();
        CommandResult result = commands.run(List.of(mysqld.toString(), "--no-defaults", "--version"),
                settings.dataDir(), null, Duration.ofSeconds(30));
        if (!result.ok()) {
            throw new GuestError("cannot tell the version of " + mysqld + ": " + result.tail(2));
        }
        return result.stdout().contains("MariaDB");
    }

    private void installInto(Path dir, Path extraFile) {
        TemplateDirectories.deleteTree(dir);
        OsUser.ensureDirectory(dir, settings.runAs(), "rwx------");
        List<String> command = new ArrayList<>(List.of(settings.requireInstallDb().toString(), "--no-defaults",
                "--datadir=" + dir, "--auth-root-authentication-method=socket", "--skip-test-db",
                "--skip-name-resolve"));
        if (extraFile != null) {
            command.add("--extra-file=" + extraFile);
        }
        Path mysqld = settings.requireMysqld();
        // Debian's install-db finds the server in /usr/sbin by itself; another layout names it
        if (!mysqld.equals(Path.of("/usr/sbin/mariadbd")) && !mysqld.equals(Path.of("/usr/sbin/mysqld"))) {
            command.add("--mysqld=" + mysqld);
        }
        CommandResult result = commands.run(command, settings.dataDir(), null, INSTALL_TIMEOUT);
        if (!result.ok()) {
            String why = (result.stdout() + "\n" + result.stderr()).lines()
                    .filter(l -> l.contains("ERROR")).collect(Collectors.joining(" | "));
            TemplateDirectories.deleteTree(dir);
            throw new GuestError(settings.requireInstallDb().getFileName() + " failed (exit " + result.exitCode()
                    + "): " + (why.isEmpty() ? result.tail(4) : why));
        }
    }

    private void moveIntoPlace(Path built) {
        try {
            Files.move(built, settings.datadir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new GuestError("cannot move the new datadir into " + settings.datadir() + ": " + e.getMessage(), e);
        }
    }


    /** {@code <template_dir>/<major.minor>-<hash of the server build and run_as>}, built if absent. */
    private Path ensureTemplate() {
        Path mysqld = settings.requireMysqld();
        String key = versionOf(mysqld) + "-" + TemplateDirectories.hash(identity(mysqld) + "\n"
                + identity(settings.requireInstallDb()) + "\n" + settings.runAs());
        try {
            return TemplateDirectories.ensure(settings.templateDir(), key, "mysql", settings.runAs(),
                    "template datadir", building -> installInto(building, null));
        } catch (IOException e) {
            throw new GuestError("cannot build the template datadir in " + settings.templateDir() + " (["
                    + settings.section() + "] template_dir): " + e.getMessage(), e);
        }
    }

    /** "10.11" from {@code mariadbd --version}. */
    private String versionOf(Path mysqld) {
        CommandResult result = commands.run(List.of(mysqld.toString(), "--no-defaults", "--version"),
                settings.dataDir(), null, Duration.ofSeconds(30));
        Matcher m = Pattern.compile("Ver\\s+(\\d+\\.\\d+)").matcher(result.stdout());
        if (!result.ok() || !m.find()) {
            throw new GuestError("cannot tell the version of " + mysqld + ": " + result.tail(2));
        }
        return m.group(1);
    }

    /** A program's real location, size and date: an upgrade gets a new template. */
    private static String identity(Path program) {
        try {
            return program.toRealPath() + " " + Files.size(program) + " " + Files.getLastModifiedTime(program);
        } catch (IOException e) {
            return program.toString();
        }
    }

    /**
     * The agent's accounts, all with every privilege, as rows of the bootstrap (which runs without the grant
     * tables, so no CREATE USER): {@code os_admin@localhost} (the socket) and {@code os_admin} from the loopback
     * addresses a connection from this machine to its own address comes from.
     */
    private String adminAccountsBootstrapSql(String password) {
        String hash = NativePassword.hash(password);
        StringBuilder sql = new StringBuilder();
        for (String host : adminHosts()) {
            sql.append("INSERT INTO mysql.global_priv (Host, User, Priv) VALUES (").append(MySqlAdmin.literal(host))
                    .append(", ").append(MySqlAdmin.literal(AdminCredentials.ADMIN_USER))
                    .append(", JSON_OBJECT('access', ").append(ALL_ACCESS)
                    .append(", 'plugin', 'mysql_native_password', 'authentication_string', ")
                    .append(MySqlAdmin.literal(hash)).append("));\n");
        }
        return sql.toString();
    }

    /** The same accounts as statements of an init file (idempotent: a start that failed runs it again). */
    private String adminAccountsInitSql(String password) {
        String hash = NativePassword.hash(password);
        // the agent's own accounts never enter the binary log: a replica's would diverge from its source's
        StringBuilder sql = new StringBuilder("SET sql_log_bin = 0;\n");
        for (String host : adminHosts()) {
            String account = MySqlAdmin.literal(AdminCredentials.ADMIN_USER) + "@" + MySqlAdmin.literal(host);
            sql.append("CREATE OR REPLACE USER ").append(account).append(" IDENTIFIED BY PASSWORD ")
                    .append(MySqlAdmin.literal(hash)).append(";\n")
                    .append("GRANT ALL PRIVILEGES ON *.* TO ").append(account).append(" WITH GRANT OPTION;\n");
        }
        return sql.toString();
    }

    /** Where the agent connects from: the socket, 127.0.0.1 and ::1, and the server's own address. */
    List<String> adminHosts() {
        List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        String own = settings.connectHost();
        // to a loopback address the kernel connects from 127.0.0.1 (or ::1): those are already there
        if (!own.startsWith("127.") && !hosts.contains(own)) {
            // a connection from this machine to its own non-loopback address comes from that address
            hosts.add(own);
        }
        return hosts;
    }

    /**
     * Starts the server in the background and waits until it answers ({@code answers} says whether the agent can
     * log in); on failure the error log says why. A start with an init file waits until the agent's login works
     * ({@code loginWorks}): the server may answer before the init file has replaced the agent's accounts (a restored
     * datadir still has the source's), and refusing the agent is an answer too; the next step would be refused.
     */
    void start(Supplier<ServiceStatus> answers, BooleanSupplier loginWorks) {
        settings.requireSocketLength();
        Path mysqld = settings.requireMysqld();
        OsUser.touch(settings.logFile(), settings.runAs(), "rw-r-----");
        Path socketDir = settings.socket().getParent();
        if (!Files.isDirectory(socketDir)) {
            OsUser.ensureDirectory(socketDir, settings.runAs(), "rwxr-xr-x");
        }
        ServerLog serverLog = new ServerLog(settings.logFile());
        long logOffset = serverLog.end();
        log.info("Starting {} on {}:{}", mysqld.getFileName(), settings.bindHost(), settings.port());
        List<String> command = new ArrayList<>(List.of(mysqld.toString(), "--defaults-file=" + settings.configFile()));
        boolean initFile = Files.isRegularFile(settings.initFile());
        if (initFile) {
            // the first start of a datadir copied from a template: the agent's accounts, before any connection
            command.add("--init-file=" + settings.initFile());
        }
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(settings.dataDir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    // what it says before it opens its error log (a bad option) lands in the same file
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()))
                    .redirectErrorStream(true);
            pb.environment().remove("LC_ALL");
            pb.environment().put("LC_MESSAGES", "C");
            // as root the server switches to run_as by itself (user = in 90-system.cnf)
            process = pb.start();
        } catch (IOException e) {
            throw new GuestError("could not start " + mysqld + ": " + e.getMessage(), e);
        }
        launched = process;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                launched = null;
                String why = serverLog.since(logOffset, MySqlServer::errorLine);
                throw new GuestError(mysqld.getFileName() + " did not start (exit " + process.exitValue() + "): "
                        + (why.isEmpty() ? "see " + settings.logFile() : why));
            }
            if (initFile ? loginWorks.getAsBoolean() : answers.get() == ServiceStatus.HEALTHY) {
                if (initFile) {
                    MySqlConfigFiles.delete(settings.initFile());
                }
                return;
            }
            Pause.sleep(100);
        }
        throw new GuestError(mysqld.getFileName() + " did not answer within " + START_TIMEOUT.toSeconds() + " s: "
                + serverLog.since(logOffset, MySqlServer::errorLine));
    }

    /** SIGTERM (the server's normal shutdown) and wait; SIGKILL only if it does not finish in time. */
    @Override
    public void stop() {
        ProcessState state = processState();
        if (!state.running()) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(state.pid());
        if (handle.isEmpty()) {
            return;
        }
        log.info("Stopping the server (pid {})", state.pid());
        handle.get().destroy();
        if (!Processes.awaitExit(handle.get(), STOP_TIMEOUT)) {
            log.warn("The server did not shut down within {} s: killing it", STOP_TIMEOUT.toSeconds());
            handle.get().destroyForcibly();
            if (!Processes.awaitExit(handle.get(), Duration.ofSeconds(30))) {
                throw new GuestError("The server (pid " + state.pid() + ") did not stop");
            }
        }
        launched = null;
    }

    @Override
    public long pid() {
        return processState().pid();
    }

    /**
     * The pid file's process when it is the server (a pid reused after a reboot is not), else the server this
     * agent launched that has not written its pid file yet.
     */
    ProcessState processState() {
        Optional<ProcessHandle> fromFile = readPid().flatMap(ProcessHandle::of).filter(Processes::alive)
                .filter(MySqlServer::isServer);
        if (fromFile.isPresent()) {
            return new ProcessState(fromFile.get().pid(), fromFile.get().info().startInstant().orElse(null));
        }
        Process child = launched;
        if (child != null && child.isAlive()) {
            return new ProcessState(child.pid(), child.info().startInstant().orElse(Instant.now()));
        }
        return ProcessState.NONE;
    }

    private Optional<Long> readPid() {
        try {
            List<String> lines = Files.readAllLines(settings.pidFile());
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isServer(ProcessHandle process) {
        String program = Processes.program(process);
        return program.endsWith("mariadbd") || program.endsWith("mysqld");
    }

    /** What the server logs as an error: the lines a failed start's message quotes first. */
    @Override
    public String lastErrors() {
        return new ServerLog(settings.logFile()).since(0, MySqlServer::errorLine);
    }

    private static boolean errorLine(String line) {
        return line.contains("[ERROR]");
    }
}
