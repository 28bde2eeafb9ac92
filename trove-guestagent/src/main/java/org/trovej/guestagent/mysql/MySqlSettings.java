package org.trovej.guestagent.mysql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.ServerSettings;
import org.trovej.guestagent.datastore.SettingsSection;

/**
 * A MySQL-family manager's section, named after the datastore manager ({@code [mariadb]} or {@code [mysql]}, as
 * Trove reads {@code CONF.<manager>}); TroveJ's own keys, since Trove's guest runs the server in a container:
 * <ul>
 *   <li>{@code bind_host}: the address the server listens on (default {@code 0.0.0.0}; the local back end gives
 *   every instance its own 127.x.y.z so all of them can use port 3306)</li>
 *   <li>{@code port}: default 3306</li>
 *   <li>{@code data_dir} (else Trove's {@code mount_point}, else {@code /var/lib/mysql}): the volume; the server's
 *   datadir is {@code <data_dir>/data}, its configuration {@code <data_dir>/my.cnf} and {@code conf.d/}, its error
 *   log {@code <data_dir>/mariadb.log} (the guest logs {@code mariadb-general.log}, {@code mariadb-slow.log}), its pid file {@code <data_dir>/mariadbd.pid}</li>
 *   <li>{@code run_as}: the OS user of the server (default {@code mysql} when the agent is root, else the
 *   agent's own user)</li>
 *   <li>{@code socket}: the server's Unix socket (default {@code <data_dir>/mysqld.sock}); at most 107 bytes</li>
 *   <li>{@code mysqld}: the server program (default {@code /usr/sbin/mariadbd}, else {@code /usr/sbin/mysqld})</li>
 *   <li>{@code install_db}: the program creating a datadir (default {@code /usr/bin/mariadb-install-db}, else
 *   {@code /usr/bin/mysql_install_db})</li>
 *   <li>{@code template_dir} (TroveJ extension, default none): where pristine datadirs are kept, one per server
 *   build and OS user, made once (under a file lock) and copied into new instances instead of running
 *   install_db; unset: every prepare runs install_db</li>
 *   <li>{@code mariabackup}: the backup tool, of the server's version (default {@code /usr/bin/mariadb-backup},
 *   else {@code /usr/bin/mariabackup}: Debian's {@code mariadb-backup} package)</li>
 *   <li>{@code mbstream}: the tool unpacking its stream (default {@code /usr/bin/mbstream})</li>
 * </ul>
 */
public record MySqlSettings(String section, String bindHost, int port, Path dataDir, String runAs, Path socket,
                            Path mysqld, Path installDb, Path templateDir, Path mariabackup, Path mbstream)
        implements ServerSettings {

    private static final List<Path> MYSQLD_CANDIDATES = List.of(Path.of("/usr/sbin/mariadbd"),
            Path.of("/usr/sbin/mysqld"), Path.of("/usr/libexec/mysqld"));
    private static final List<Path> INSTALL_DB_CANDIDATES = List.of(Path.of("/usr/bin/mariadb-install-db"),
            Path.of("/usr/bin/mysql_install_db"));
    private static final List<Path> MARIABACKUP_CANDIDATES = List.of(Path.of("/usr/bin/mariadb-backup"),
            Path.of("/usr/bin/mariabackup"));
    private static final List<Path> MBSTREAM_CANDIDATES = List.of(Path.of("/usr/bin/mbstream"));

    public static MySqlSettings from(GuestConfig config, String section) {
        SettingsSection values = SettingsSection.of(config, section);
        Path dataDir = values.dataDir("/var/lib/mysql");
        Path socket = values.path("socket").orElse(dataDir.resolve("mysqld.sock")).toAbsolutePath().normalize();
        Path mysqld = values.path("mysqld").orElseGet(() -> firstExecutable(MYSQLD_CANDIDATES));
        Path installDb = values.path("install_db").orElseGet(() -> firstExecutable(INSTALL_DB_CANDIDATES));
        Path mariabackup = values.path("mariabackup").orElseGet(() -> firstExecutable(MARIABACKUP_CANDIDATES));
        Path mbstream = values.path("mbstream").orElseGet(() -> firstExecutable(MBSTREAM_CANDIDATES));
        return new MySqlSettings(section, values.bindHost(), values.port(3306), dataDir, values.runAs("mysql"),
                socket, mysqld, installDb, values.templateDir(), mariabackup, mbstream);
    }

    private static Path firstExecutable(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** The server's datadir. */
    public Path datadir() {
        return dataDir.resolve("data");
    }

    /** The main option file the server is started with ({@code --defaults-file}): nothing of the host's is read. */
    public Path configFile() {
        return dataDir.resolve("my.cnf");
    }

    public Path confDir() {
        return dataDir.resolve("conf.d");
    }

    public Path logFile() {
        return dataDir.resolve("mariadb.log");
    }

    /** The guest log 'general' (Trove's general_log), next to the error log. */
    public Path generalLogFile() {
        return dataDir.resolve("mariadb-general.log");
    }

    /** The guest log 'slow_query' (Trove's slow_query_log), next to the error log. */
    public Path slowQueryLogFile() {
        return dataDir.resolve("mariadb-slow.log");
    }

    public Path pidFile() {
        return dataDir.resolve("mariadbd.pid");
    }

    /** SQL the server runs once at its next start, before it accepts connections (the agent's accounts). */
    public Path initFile() {
        return dataDir.resolve("os_admin.init.sql");
    }

    /** The server program; fails naming the setting when it is not there. */
    public Path requireMysqld() {
        return requireProgram(mysqld, "mysqld", MYSQLD_CANDIDATES);
    }

    public Path requireInstallDb() {
        return requireProgram(installDb, "install_db", INSTALL_DB_CANDIDATES);
    }

    /** The backup tool; fails saying what to install or set (checked at each backup, not at the agent's start). */
    public Path requireMariabackup() {
        return requireBackupTool(mariabackup, "mariabackup", MARIABACKUP_CANDIDATES);
    }

    public Path requireMbstream() {
        return requireBackupTool(mbstream, "mbstream", MBSTREAM_CANDIDATES);
    }

    private Path requireBackupTool(Path program, String key, List<Path> candidates) {
        if (program == null || !Files.isExecutable(program)) {
            throw new GuestError((program == null ? key + " not found (looked for " + candidates + ")"
                    : program + " not found or not executable") + ": install the mariadb-backup package of the "
                    + "server's version, or set [" + section + "] " + key);
        }
        return program;
    }

    private Path requireProgram(Path program, String key, List<Path> candidates) {
        if (program == null) {
            throw new GuestError("No MySQL/MariaDB server installation found: set [" + section + "] " + key
                    + " (looked for " + candidates + ")");
        }
        if (!Files.isExecutable(program)) {
            throw new GuestError(program + " not found or not executable ([" + section + "] " + key + ")");
        }
        return program;
    }

    /** Fails when the socket path is too long for a Unix socket (the server would only say so in its log). */
    public void requireSocketLength() {
        requireSocketLength(socket, "socket");
    }
}
