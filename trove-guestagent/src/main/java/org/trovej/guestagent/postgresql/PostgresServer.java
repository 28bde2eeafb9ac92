package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * The PostgreSQL server process: initdb, the agent's admin role, pg_ctl start/stop, and what
 * {@code postmaster.pid} says about the running server. Every program runs as {@code run_as}.
 */
final class PostgresServer {

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
        Path initdb = settings.tool("initdb");
        OsUser.ensureDirectory(settings.pgData(), settings.runAs(), "rwx------");
        List<String> command = new ArrayList<>(List.of(initdb.toString(), "-D", settings.pgData().toString(),
                "-U", "postgres", "-E", "UTF8", "--auth-local=peer", "--auth-host=reject"));
        command.add(hasLocale("C.utf8") ? "--locale=C.UTF-8" : "--no-locale");
        log.info("Initialising the database cluster in {}", settings.pgData());
        CommandResult result = commands.run(command, settings.dataDir(), null, INITDB_TIMEOUT);
        if (!result.ok()) {
            throw new GuestError("initdb failed (exit " + result.exitCode() + "): " + result.tail(6));
        }
    }

    /** C.UTF-8 gives Unicode-aware upper()/lower() at C collation speed, where the system has it. */
    private static boolean hasLocale(String name) {
        return Files.isDirectory(Path.of("/usr/lib/locale", name)) || Files.isDirectory(Path.of("/usr/lib/locale",
                name.replace("utf8", "UTF-8")));
    }

    /**
     * Creates (or re-keys) the agent's superuser while the server is down, in single-user mode: no network
     * and no authentication are involved, so no window exists in which anything is open. The password goes
     * over stdin as a SCRAM verifier, so the plain text never reaches the server or its logs.
     */
    void bootstrapAdminRole(String password) {
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        String role = PostgresConfigFiles.ADMIN_ROLE;
        // a tagged dollar quote: the verifier itself contains '$'
        String sql = "DO $agent$BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN "
                + "ALTER ROLE " + role + " WITH SUPERUSER LOGIN PASSWORD '" + verifier + "'; ELSE "
                + "CREATE ROLE " + role + " WITH SUPERUSER LOGIN PASSWORD '" + verifier + "'; END IF; END$agent$;\n";
        List<String> command = List.of(settings.tool("postgres").toString(), "--single", "-D",
                settings.pgData().toString(), "postgres");
        CommandResult result = commands.run(command, settings.dataDir(), sql, Duration.ofMinutes(2));
        String errors = (result.stdout() + "\n" + result.stderr()).lines()
                .filter(l -> l.contains("ERROR:") || l.contains("FATAL:") || l.contains("PANIC:"))
                .filter(l -> !l.contains(verifier))
                .collect(Collectors.joining(" | "));
        if (!result.ok() || !errors.isEmpty()) {
            throw new GuestError("could not create the agent's admin role (exit " + result.exitCode() + "): "
                    + (errors.isEmpty() ? result.tail(3) : errors));
        }
    }

    /** pg_ctl start, waiting until the server accepts connections; on failure the server log says why. */
    void start() {
        Path pgCtl = settings.tool("pg_ctl");
        String socket = settings.socketDir().resolve(".s.PGSQL." + settings.port()).toString();
        if (socket.getBytes(StandardCharsets.UTF_8).length > 107) {
            // the server would only say so in its log; name the setting to change
            throw new GuestError("Unix socket path " + socket + " is longer than 107 bytes: set a shorter "
                    + "[postgresql] socket_dir");
        }
        OsUser.ensureDirectory(settings.socketDir(), settings.runAs(), "rwxr-xr-x");
        OsUser.touch(settings.logFile(), settings.runAs(), "rw-------");
        long logOffset = size(settings.logFile());
        log.info("Starting PostgreSQL on {}:{}", settings.bindHost(), settings.port());
        CommandResult result = commands.run(List.of(pgCtl.toString(), "start", "-D", settings.pgData().toString(),
                "-l", settings.logFile().toString(), "-w", "-t", Integer.toString(PG_CTL_WAIT_SECONDS), "-s"),
                settings.dataDir(), null, Duration.ofSeconds(PG_CTL_WAIT_SECONDS + 30));
        if (!result.ok()) {
            String why = logSince(logOffset);
            throw new GuestError("PostgreSQL did not start (pg_ctl exit " + result.exitCode() + "): "
                    + (why.isEmpty() ? result.tail(3) : why));
        }
    }

    /** pg_ctl stop -m fast (sessions are ended, data is safe); immediate only if fast does not finish. */
    void stop() {
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

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The server log written since {@code offset}, its last lines joined: what a failed start left. */
    private String logSince(long offset) {
        try (RandomAccessFile file = new RandomAccessFile(settings.logFile().toFile(), "r")) {
            long from = Math.max(offset, file.length() - 4096);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).strip().split("\n");
            return Arrays.stream(lines, Math.max(0, lines.length - 4), lines.length)
                    .map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining(" | "));
        } catch (IOException e) {
            return "";
        }
    }
}
