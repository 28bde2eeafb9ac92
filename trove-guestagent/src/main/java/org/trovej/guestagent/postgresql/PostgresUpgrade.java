package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.datastore.VersionNumbers;
import org.trovej.common.upgrade.UpgradeInfo;
import org.trovej.guestagent.datastore.DatastoreUpgrade;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;

/**
 * PostgreSQL's upgrade. Within a major version the new programs read the data as it is: nothing to convert. Across
 * majors (newer only) the data goes into a new cluster of the new programs beside the old one, whose data is only
 * read, so any failure until the new one has started leaves it as it was: by {@code pg_upgrade} of the new programs
 * (copy mode) where the old programs are complete, else by dump and restore ({@link #dumpAndRestore}). The
 * configuration the agent wrote moves to the new cluster (pg_hba.conf and pg_ident.conf first: the conversion logs in
 * as the agent does; postgresql.conf, its layers and postgresql.auto.conf after). Then the new cluster takes the old
 * one's place, is started once on the new programs to prove it runs (else the old one is put back), and stopped. The
 * old cluster and its WAL archive stay beside it ({@code data.pg<major>}, {@code wal_archive.pg<major>}) until
 * {@link #removeOldData}: the archive's WAL belongs to the old cluster, so incrementals start again from a full
 * backup of the new one.
 */
final class PostgresUpgrade implements DatastoreUpgrade {

    private static final Logger log = LoggerFactory.getLogger(PostgresUpgrade.class);
    private static final Duration PG_UPGRADE_TIMEOUT = Duration.ofHours(2);
    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(30);
    /** What pg_upgrade runs of the old programs (pg_upgrade's exec.c and controldata.c). */
    private static final List<String> OLD_PROGRAMS = List.of("postgres", "pg_ctl", "pg_controldata", "pg_resetwal");
    private static final String OLD_PORT = "50432";
    private static final String NEW_PORT = "50433";
    private static final String CONVERSION_HBA = "# TroveJ guest agent: during an upgrade only\n"
            + "local   all   all   trust\n";
    private static final List<String> AUTH_FILES = List.of("pg_hba.conf", "pg_ident.conf");
    private static final List<String> SETTINGS_FILES = List.of("postgresql.conf", "trove.conf",
            "postgresql.auto.conf");

    private final PostgresSettings settings;
    private final Commands asRunAs;

    PostgresUpgrade(PostgresSettings settings, Commands asRunAs) {
        this.settings = settings;
        this.asRunAs = asRunAs;
    }

    @Override
    public void convert(UpgradeInfo info, Map<String, String> current) throws IOException {
        String bin = info.settings().get("bin_dir");
        Path newBin = bin == null ? settings.binDir() : Path.of(bin);
        PostgresSettings target = settings.withBinDir(newBin);
        PostgresServer newServer = new PostgresServer(target, asRunAs);
        int dataMajor = dataMajor();
        int newMajor = newServer.major();
        Integer wanted = VersionNumbers.major(info.datastoreVersionNumber());
        if (wanted != null && wanted != newMajor) {
            // e.g. a Nova server, whose image has only the programs it runs
            throw new GuestError("Datastore version " + info.datastoreVersion() + " is PostgreSQL " + wanted
                    + ", but the programs this guest has for it (" + newBin + ") are PostgreSQL " + newMajor);
        }
        if (newMajor < dataMajor) {
            throw new GuestError("PostgreSQL " + newMajor + " (" + newBin + ") cannot take the data of PostgreSQL "
                    + dataMajor + ": a major version cannot be downgraded");
        }
        if (newMajor == dataMajor) {
            log.info("PostgreSQL {} data runs on {} as it is: nothing to convert", dataMajor, newBin);
            return;
        }
        upgradeMajor(newServer, target, dataMajor, newMajor);
    }

    private void upgradeMajor(PostgresServer newServer, PostgresSettings target, int dataMajor, int newMajor)
            throws IOException {
        Path pgData = settings.pgData();
        Path converted = settings.dataDir().resolve("data.upgrading");
        Path work = settings.dataDir().resolve("pg_upgrade");
        Path kept = keptData(dataMajor);
        if (Files.exists(kept)) {
            throw new GuestError("The data of an earlier upgrade from PostgreSQL " + dataMajor + " is still in " + kept
                    + ": remove it first");
        }
        TemplateDirectories.deleteTree(converted);
        TemplateDirectories.deleteTree(work);
        long started = System.nanoTime();
        try {
            newServer.initdbAt(converted);
            run(List.of("mkdir", "-p", "--", work.toString()));
            // the conversion logs in as the bootstrap superuser over the socket alone, which only the database's OS
            // user may use meanwhile (unix_socket_permissions 0700, as pg_upgrade sets it): trust, in both clusters;
            // the old cluster's own rules are put back whatever happens
            run(List.of("cp", "-p", "--", pgData.resolve("pg_hba.conf").toString(),
                    work.resolve("pg_hba.conf.orig").toString()));
            writeAsRunAs(pgData.resolve("pg_hba.conf"), CONVERSION_HBA);
            writeAsRunAs(converted.resolve("pg_hba.conf"), CONVERSION_HBA);
            try {
                if (OLD_PROGRAMS.stream().allMatch(p -> Files.isExecutable(settings.binDir().resolve(p)))) {
                    pgUpgrade(target, converted, work, dataMajor, newMajor);
                } else {
                    dumpAndRestore(target, converted, work, dataMajor, newMajor);
                }
            } finally {
                run(List.of("cp", "-p", "--", work.resolve("pg_hba.conf.orig").toString(),
                        pgData.resolve("pg_hba.conf").toString()));
            }
            copyFiles(pgData, converted, AUTH_FILES);
            copyFiles(pgData, converted, SETTINGS_FILES);
            if (Files.isDirectory(pgData.resolve("conf.d"))) {
                TemplateDirectories.deleteTree(converted.resolve("conf.d"));
                run(List.of("cp", "-a", "--", pgData.resolve("conf.d").toString(),
                        converted.resolve("conf.d").toString()));
            }
        } catch (RuntimeException e) {
            TemplateDirectories.deleteTree(converted);
            TemplateDirectories.deleteTree(work);
            throw e;
        }
        // the archive's WAL is the old cluster's: the new one archives into an empty one
        Path archive = settings.walArchiveDir();
        boolean archived = Files.isDirectory(archive);
        swap(pgData, kept, converted);
        if (archived) {
            Files.move(archive, keptArchive(dataMajor));
            run(List.of("mkdir", "-m", "700", "--", archive.toString()));
        }
        try {
            newServer.start();
            newServer.stop();
        } catch (RuntimeException e) {
            // the start's own message holds the server's lines since it began (the LOG line naming a bad setting
            // comes before the FATAL one)
            String why = e.getMessage() == null ? newServer.lastErrors() : e.getMessage();
            try {
                newServer.stop();
            } catch (RuntimeException ignored) {
                // it did not start
            }
            TemplateDirectories.deleteTree(pgData);
            Files.move(kept, pgData);
            if (archived) {
                TemplateDirectories.deleteTree(archive);
                Files.move(keptArchive(dataMajor), archive);
            }
            TemplateDirectories.deleteTree(work);
            throw new GuestError("PostgreSQL " + newMajor + " did not start on the converted data: " + why, e);
        }
        TemplateDirectories.deleteTree(work);
        log.info("PostgreSQL {} data converted to {} in {} ms; the old cluster is kept in {} until post_upgrade",
                dataMajor, newMajor, (System.nanoTime() - started) / 1_000_000, kept);
    }

    /** What the conversion kept of the old version: the clusters and WAL archives named after their majors. */
    @Override
    public void removeOldData() throws IOException {
        try (var entries = Files.list(settings.dataDir())) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.matches("data\\.pg\\d+") || name.matches("wal_archive\\.pg\\d+")) {
                    log.info("Removing {}, kept from before the upgrade", entry);
                    TemplateDirectories.deleteTree(entry);
                }
            }
        }
    }

    private Path keptData(int major) {
        return settings.dataDir().resolve("data.pg" + major);
    }

    private Path keptArchive(int major) {
        return settings.dataDir().resolve("wal_archive.pg" + major);
    }

    /** The old cluster aside, the converted one in its place: two renames on the volume. */
    private static void swap(Path pgData, Path kept, Path converted) throws IOException {
        Files.move(pgData, kept);
        try {
            Files.move(converted, pgData);
        } catch (IOException e) {
            Files.move(kept, pgData);
            throw e;
        }
    }

    private int dataMajor() {
        try {
            String version = Files.readString(settings.pgData().resolve("PG_VERSION")).strip();
            return (int) Double.parseDouble(version);
        } catch (IOException | NumberFormatException e) {
            throw new GuestError("cannot read the data's PostgreSQL version (" + settings.pgData() + "/PG_VERSION): "
                    + e.getMessage(), e);
        }
    }

    /** pg_upgrade of the new programs, in copy mode: the old cluster is only read. */
    private void pgUpgrade(PostgresSettings target, Path converted, Path work, int dataMajor, int newMajor) {
        if (!Files.isExecutable(target.binDir().resolve("pg_upgrade"))) {
            throw new GuestError("PostgreSQL " + newMajor + "'s programs in " + target.binDir() + " have no "
                    + "pg_upgrade: the data of PostgreSQL " + dataMajor + " cannot be converted with them");
        }
        List<String> command = List.of(target.tool("pg_upgrade").toString(), "--old-bindir",
                settings.binDir().toString(), "--new-bindir", target.binDir().toString(), "--old-datadir",
                settings.pgData().toString(), "--new-datadir", converted.toString(), "--username", "postgres",
                "--socketdir", settings.socketDir().toString(), "--old-port", OLD_PORT, "--new-port", NEW_PORT);
        log.info("Converting PostgreSQL {} data to {}: {}", dataMajor, newMajor, String.join(" ", command));
        CommandResult result = asRunAs.run(command, work, null, PG_UPGRADE_TIMEOUT);
        if (!result.ok()) {
            throw new GuestError("pg_upgrade from PostgreSQL " + dataMajor + " to " + newMajor + " failed (exit "
                    + result.exitCode() + "): " + reason(result));
        }
    }

    /**
     * Where the old programs are a server alone (Maven Central's bundles ship initdb, pg_ctl and postgres; pg_upgrade
     * also runs the old pg_controldata and pg_resetwal): both servers started on a private socket only (no TCP, so no
     * client writes meanwhile), pg_dumpall of the old one (the host's newest client, which reads older servers)
     * restored into the new one with psql. Every role, database, grant and password hash comes across; the only
     * error allowed is the bootstrap role's "already exists".
     */
    private void dumpAndRestore(PostgresSettings target, Path converted, Path work, int dataMajor, int newMajor) {
        Path dump = work.resolve("dumpall.sql");
        log.info("Converting PostgreSQL {} data to {} by dump and restore (the old programs have no pg_resetwal)",
                dataMajor, newMajor);
        startPrivately(settings.binDir(), settings.pgData(), OLD_PORT);
        try {
            CommandResult dumped = asRunAs.run(List.of(target.tool("pg_dumpall").toString(), "-h",
                    settings.socketDir().toString(), "-p", OLD_PORT, "-U", "postgres", "-f", dump.toString()),
                    work, null, PG_UPGRADE_TIMEOUT);
            if (!dumped.ok()) {
                throw new GuestError("pg_dumpall of PostgreSQL " + dataMajor + " failed (exit " + dumped.exitCode()
                        + "): " + dumped.tail(4));
            }
        } finally {
            stopPrivately(settings.binDir(), settings.pgData());
        }
        startPrivately(target.binDir(), converted, NEW_PORT);
        try {
            CommandResult restored = asRunAs.run(List.of(target.tool("psql").toString(), "-X", "-q", "-h",
                    settings.socketDir().toString(), "-p", NEW_PORT, "-U", "postgres", "-d", "postgres", "-f",
                    dump.toString()), work, null, PG_UPGRADE_TIMEOUT);
            List<String> errors = new ArrayList<>();
            for (String line : restored.stderr().split("\n")) {
                if (line.contains("ERROR:") && !line.contains("role \"postgres\" already exists")) {
                    errors.add(line.strip());
                }
            }
            if (!restored.ok() || !errors.isEmpty()) {
                throw new GuestError("Restoring PostgreSQL " + dataMajor + "'s dump into " + newMajor + " failed: "
                        + String.join(" | ", errors.subList(0, Math.min(4, errors.size()))) + " " + restored.tail(2));
            }
        } finally {
            stopPrivately(target.binDir(), converted);
            TemplateDirectories.deleteTree(dump);
        }
    }

    /** A server of {@code bin} on {@code data} listening on the socket directory only, without archiving. */
    private void startPrivately(Path bin, Path data, String port) {
        String options = "-c listen_addresses='' -c port=" + port + " -c unix_socket_directories='"
                + settings.socketDir() + "' -c unix_socket_permissions=0700 -c archive_mode=off";
        CommandResult result = asRunAs.run(List.of(bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "120",
                "-D", data.toString(), "-l", data.resolve("upgrade.log").toString(), "-o", options),
                settings.dataDir(), null, Duration.ofMinutes(3));
        if (!result.ok()) {
            throw new GuestError("PostgreSQL (" + bin + ") did not start on " + data + " for the upgrade: "
                    + result.tail(3));
        }
    }

    private void stopPrivately(Path bin, Path data) {
        CommandResult result = asRunAs.run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-w", "-t", "120",
                "-m", "fast", "-D", data.toString()), settings.dataDir(), null, Duration.ofMinutes(3));
        if (!result.ok()) {
            log.warn("Stopping the upgrade's PostgreSQL on {}: {}", data, result.tail(2));
        }
        try {
            Files.deleteIfExists(data.resolve("upgrade.log"));
        } catch (IOException e) {
            log.debug("upgrade.log: {}", e.getMessage());
        }
    }

    private void writeAsRunAs(Path file, String content) {
        CommandResult result = asRunAs.run(List.of("tee", "--", file.toString()), settings.dataDir(), content,
                FILE_TIMEOUT);
        if (!result.ok()) {
            throw new GuestError("cannot write " + file + ": " + result.tail(2));
        }
    }

    private void copyFiles(Path from, Path to, List<String> names) {
        for (String name : names) {
            if (Files.exists(from.resolve(name))) {
                run(List.of("cp", "-p", "--", from.resolve(name).toString(), to.resolve(name).toString()));
            }
        }
    }

    private void run(List<String> command) {
        CommandResult result = asRunAs.run(command, settings.dataDir(), null, FILE_TIMEOUT);
        if (!result.ok()) {
            throw new GuestError(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.tail(3));
        }
    }

    /** pg_upgrade's own lines say what was wrong (it prints its checks and the failure on stdout). */
    private static String reason(CommandResult result) {
        List<String> lines = new ArrayList<>();
        for (String line : (result.stdout() + "\n" + result.stderr()).split("\n")) {
            if (!line.isBlank() && !line.strip().endsWith("ok")) {
                lines.add(line.strip());
            }
        }
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    }
}
