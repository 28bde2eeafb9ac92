package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.ServerSettings;
import org.trovej.guestagent.datastore.SettingsSection;

/**
 * The {@code [postgresql]} section (TroveJ's own keys; Trove's guest runs PostgreSQL in a container instead):
 * <ul>
 *   <li>{@code bind_host}: the address the server listens on (default {@code 0.0.0.0}; the local back end
 *   gives every instance its own 127.x.y.z so all of them can use port 5432)</li>
 *   <li>{@code port}: default 5432</li>
 *   <li>{@code data_dir} (else Trove's {@code mount_point}, else {@code /var/lib/postgresql}): the volume; the
 *   cluster lives in {@code <data_dir>/data}, the archived WAL in {@code <data_dir>/wal_archive}, the server
 *   log in {@code <data_dir>/postgresql.log}</li>
 *   <li>{@code bin_dir}: where initdb, pg_ctl and postgres are (default: the newest
 *   {@code /usr/lib/postgresql/<version>/bin})</li>
 *   <li>{@code run_as}: the OS user of the server (default {@code postgres} when the agent is root, else the
 *   agent's own user)</li>
 *   <li>{@code socket_dir}: the Unix socket directory (default {@code <data_dir>/socket}: per instance, as
 *   every local instance uses the same port and so the same socket file name)</li>
 *   <li>{@code template_dir} (TroveJ extension, default none): where pristine clusters are kept, one per
 *   PostgreSQL version and initdb options, built once (under a file lock) and copied into new instances
 *   instead of running initdb; unset: every prepare runs initdb</li>
 * </ul>
 */
public record PostgresSettings(String bindHost, int port, Path dataDir, Path binDir, String runAs, Path socketDir,
                               Path templateDir) implements ServerSettings {

    public static final String SECTION = "postgresql";
    private static final Path DEBIAN_LAYOUT = Path.of("/usr/lib/postgresql");
    /** What must be the server's own version: never taken from another installation. */
    private static final java.util.Set<String> SERVER_PROGRAMS = java.util.Set.of("postgres", "pg_ctl", "initdb",
            "pg_controldata", "pg_resetwal", "pg_rewind", "pg_upgrade");

    public static PostgresSettings from(GuestConfig config) {
        SettingsSection values = SettingsSection.of(config, SECTION);
        Path dataDir = values.dataDir("/var/lib/postgresql");
        Path binDir = values.path("bin_dir").orElseGet(PostgresSettings::newestBinDir);
        Path socketDir = values.path("socket_dir").orElse(dataDir.resolve("socket"));
        return new PostgresSettings(values.bindHost(), values.port(5432), dataDir, binDir, values.runAs("postgres"),
                socketDir, values.templateDir());
    }

    /** The same settings with other programs: what an upgrade runs the data with. */
    public PostgresSettings withBinDir(Path otherBinDir) {
        return new PostgresSettings(bindHost, port, dataDir, otherBinDir, runAs, socketDir, templateDir);
    }

    @Override
    public String section() {
        return SECTION;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} holding a server, or null when there is none. */
    static Path newestBinDir() {
        if (!Files.isDirectory(DEBIAN_LAYOUT)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(DEBIAN_LAYOUT)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin").resolve("postgres")))
                    .max(Comparator.comparing(PostgresSettings::versionKey))
                    .map(v -> v.resolve("bin")).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** "9.6" < "10" < "15": compare as numbers, not as text. */
    private static double versionKey(Path versionDir) {
        try {
            return Double.parseDouble(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The cluster directory (PGDATA). */
    public Path pgData() {
        return dataDir.resolve("data");
    }

    /** Where the server archives its WAL (Trove's wal_archive beside the cluster): see {@link WalArchive}. */
    public Path walArchiveDir() {
        return dataDir.resolve("wal_archive");
    }

    public Path logFile() {
        return dataDir.resolve("postgresql.log");
    }

    /** A PostgreSQL program; fails naming the directory when it is not there (e.g. a wrong bin_dir). */
    public Path tool(String name) {
        if (binDir == null) {
            throw new GuestError("No PostgreSQL installation found: set [postgresql] bin_dir (nothing under "
                    + DEBIAN_LAYOUT + ")");
        }
        Path tool = binDir.resolve(name);
        if (Files.isExecutable(tool)) {
            return tool;
        }
        // a server-only bundle (Maven Central's ship initdb, pg_ctl and postgres): the host's newest client
        // programs serve an older server (psql, pg_basebackup); the server's own must come from bin_dir
        Path newest = SERVER_PROGRAMS.contains(name) ? null : newestBinDir();
        if (newest != null && Files.isExecutable(newest.resolve(name))) {
            return newest.resolve(name);
        }
        throw new GuestError(name + " not found in " + binDir + " ([postgresql] bin_dir)");
    }
}
