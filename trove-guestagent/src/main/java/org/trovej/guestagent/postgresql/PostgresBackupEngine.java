package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.backup.BackupCompression;
import org.trovej.guestagent.backup.BackupEngine;
import org.trovej.guestagent.backup.BackupSource;
import org.trovej.guestagent.backup.ToolProcess;
import org.trovej.guestagent.backup.WritebackWhileRestoring;
import org.trovej.guestagent.datastore.FilesystemStats;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * PostgreSQL's backups.
 * <p>
 * A full backup is {@code pg_basebackup -Ft -X fetch -D -}: one tar of the whole cluster on stdout with the WAL
 * needed to make it consistent inside ({@code pg_wal/}), taken over a replication connection as the agent's
 * {@code os_admin} (a superuser) with a fast checkpoint. Once it has ended, its backup history file gives the
 * WAL files it starts and stops at, stored with it under Trove's names ({@code Stop-Wal-File}, ...). A restore
 * extracts the tar into the empty PGDATA as {@code run_as}; the first start recovers to the end of the backup
 * from the included WAL ({@code backup_label}), no archive needed.
 * <p>
 * An incremental backup is the WAL archived since its parent ({@link PostgresIncrementalBackup}); its restore
 * puts that WAL back into the archive, and the first start replays it ({@link PostgresRecoveryPlan}). The
 * archive is pruned to what an incremental on the newest backup needs ({@link WalArchivePruning}).
 */
final class PostgresBackupEngine implements BackupEngine {

    private static final Logger log = LoggerFactory.getLogger(PostgresBackupEngine.class);
    /** How long a full backup's history file may take to appear once pg_basebackup has ended (Trove: 60 s). */
    private static final Duration HISTORY_FILE_WAIT = Duration.ofSeconds(60);

    private final PostgresSettings settings;
    private final PostgresServer server;
    private final PostgresConfigFiles files;
    private final Supplier<String> adminPassword;
    private final PostgresAdmin admin;
    private final Commands asRunAs;
    private final WalArchive archive;
    private final WalArchivePruning pruning;
    private final PostgresIncrementalBackup incremental;
    private final PostgresRecoveryPlan recovery;

    PostgresBackupEngine(PostgresSettings settings, PostgresServer server, PostgresConfigFiles files,
                         PostgresAdmin admin, Supplier<String> adminPassword, WalArchivePruning pruning) {
        this.settings = settings;
        this.server = server;
        this.files = files;
        this.adminPassword = adminPassword;
        this.admin = admin;
        this.asRunAs = new Commands(settings.runAs());
        this.archive = WalArchive.of(settings);
        this.pruning = pruning;
        this.incremental = new PostgresIncrementalBackup(settings, admin, archive, asRunAs);
        this.recovery = new PostgresRecoveryPlan(archive, files);
    }

    /** As Trove's {@code <backup id>.tar.gz}. */
    @Override
    public String archiveSuffix() {
        return ".tar";
    }

    @Override
    public long dataSize() {
        return FilesystemStats.directorySize(settings.pgData());
    }

    @Override
    public BackupSource openFullBackup() throws IOException {
        return openFullBackup(null);
    }

    /**
     * zstd is asked of the server itself where it can ({@code --compress=server-zstd}, PostgreSQL 15 built with
     * zstd): the walsender compresses with two workers and only the compressed stream crosses the pipe into the
     * agent, which then neither reads the whole cluster nor compresses it. Measured on the benchmark's 1.1 GB
     * cluster: 0.8 s for pg_basebackup with server zstd against 2.1-2.5 s for the plain tar, the same bytes once
     * decompressed (less the backup manifest, which no restore reads).
     */
    @Override
    public BackupSource openFullBackup(BackupCompression wanted) throws IOException {
        requireRunning();
        pruning.backupStarted();
        try {
            return startBaseBackup(wanted == BackupCompression.ZSTD && serverCompressesZstd());
        } catch (IOException | RuntimeException e) {
            pruning.backupEnded(null);
            throw e;
        }
    }

    /** PostgreSQL 15 or newer, built with zstd (asked of the server: it refuses zstd WAL compression otherwise). */
    private boolean serverCompressesZstd() {
        try (Connection c = admin.connect("postgres"); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            try (ResultSet version = s.executeQuery("SHOW server_version_num")) {
                if (!version.next() || Integer.parseInt(version.getString(1)) < 150000) {
                    return false;
                }
            }
            s.execute("SET wal_compression = 'zstd'");
            return true;
        } catch (SQLException | NumberFormatException e) {
            log.debug("No server-side zstd for base backups: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public BackupSource openIncrementalBackup(Map<String, String> parentMetadata) throws IOException {
        requireRunning();
        pruning.backupStarted();
        try {
            return incremental.open(parentMetadata);
        } catch (IOException | RuntimeException e) {
            pruning.backupEnded(null);
            throw e;
        }
    }

    /** The newest stored backup's stop WAL file is what the archive keeps from on. */
    @Override
    public void backupEnded(boolean stored, Map<String, String> metadata) {
        pruning.backupEnded(stored ? metadata.get(BackupHistoryFile.STOP_WAL_FILE) : null);
    }

    private void requireRunning() throws IOException {
        if (!server.processState().running()) {
            throw new IOException("PostgreSQL is not running: a backup needs the database up");
        }
    }

    private BackupSource startBaseBackup(boolean serverZstd) throws IOException {
        // clusters prepared before backups existed have no replication rule for os_admin yet
        files.writeHba();
        server.reload();
        // unique, so that this backup's history file is told from earlier ones
        String label = "trove backup " + UUID.randomUUID();
        Path passFile = Files.createTempFile("trove-guestagent-pgpass-", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            // libpq's password file: the password never appears on a command line or in the environment
            Files.writeString(passFile, "*:*:*:" + PostgresConfigFiles.ADMIN_ROLE + ":"
                    + adminPassword.get().replace("\\", "\\\\").replace(":", "\\:") + "\n");
            List<String> command = new ArrayList<>(List.of(settings.tool("pg_basebackup").toString(),
                    "-h", settings.connectHost(), "-p", Integer.toString(settings.port()),
                    "-U", PostgresConfigFiles.ADMIN_ROLE, "-w", "-Ft", "-X", "fetch", "-D", "-",
                    "-c", "fast", "-l", label));
            if (serverZstd) {
                // a compressed tar on stdout takes no injected manifest; level 1 as the pipeline's own zstd
                command.addAll(List.of("--no-manifest", "--compress=server-zstd:level=" + BackupCompression.ZSTD_LEVEL
                        + ",workers=2"));
            }
            ProcessBuilder builder = Commands.asAgent().builder(command, null);
            builder.environment().put("PGPASSFILE", passFile.toString());
            builder.environment().put("PGSSLMODE", "disable");
            builder.environment().put("PGAPPNAME", "trove-guestagent backup");
            log.info("Running pg_basebackup against {}{}", settings.connectAddress(),
                    serverZstd ? ", compressed by the server (zstd)" : "");
            InputStream tar = ToolProcess.start("pg_basebackup", builder).output();
            return new BackupSource(new java.io.FilterInputStream(tar) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        Files.deleteIfExists(passFile);
                    }
                }
            }, () -> historyMetadata(label), serverZstd ? BackupCompression.ZSTD : null);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(passFile);
            throw e;
        }
    }

    /**
     * The finished base backup's WAL files, from its history file (written to pg_wal when the backup ends, then
     * archived). Without them the backup still restores, but no incremental can be taken on top of it.
     */
    private Map<String, String> historyMetadata(String label) {
        long deadline = System.nanoTime() + HISTORY_FILE_WAIT.toNanos();
        try {
            while (true) {
                Optional<BackupHistoryFile> history = BackupHistoryFile.find(label,
                        List.of(settings.pgData().resolve("pg_wal"), archive.dir()));
                if (history.isPresent()) {
                    log.info("Full backup's WAL: {} to {}", history.get().startWalFile(), history.get().stopWalFile());
                    return history.get().metadata();
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
                Pause.sleep(100, "while waiting for the backup history file");
            }
        } catch (IOException e) {
            log.warn("Could not read the backup history files: {}", e.getMessage());
        }
        log.warn("No backup history file labelled '{}': the backup is stored without its WAL file names, and no "
                + "incremental can be taken on top of it", label);
        return Map.of();
    }

    @Override
    public void clearDataDirectory() throws IOException {
        if (server.processState().running()) {
            throw new IOException("PostgreSQL is running on " + settings.pgData() + ": it cannot be emptied");
        }
        TemplateDirectories.deleteTree(settings.pgData());
        OsUser.ensureDirectory(settings.pgData(), settings.runAs(), "rwx------");
        // the archived WAL belongs to the data being replaced; a restored chain brings its own
        archive.clear();
        recovery.reset();
    }

    @Override
    public void restore(InputStream tar) throws IOException {
        ProcessBuilder builder = asRunAs.builder(extract(settings.pgData()), settings.dataDir());
        try (WritebackWhileRestoring writeback = WritebackWhileRestoring.start(settings.dataDir())) {
            ToolProcess.start("tar", builder).feed(tar);
        }
        if (!Files.exists(settings.pgData().resolve("PG_VERSION"))) {
            throw new IOException("the backup holds no PostgreSQL cluster (no PG_VERSION)");
        }
    }

    /**
     * tar reading its archive from the pipe in 1 MiB records rather than 10 KiB ones: about a quarter off
     * extracting a large cluster (GNU tar reads full records from a pipe).
     */
    private static List<String> extract(Path into) {
        return List.of("tar", "-x", "-b", "2048", "-f", "-", "-C", into.toString(), "--no-same-owner");
    }

    /** An incremental's WAL goes into the archive, for the recovery's restore_command. */
    @Override
    public void restoreIncremental(InputStream tar, Map<String, String> metadata) throws IOException {
        ProcessBuilder builder = asRunAs.builder(extract(archive.dir()), settings.dataDir());
        ToolProcess.start("tar", builder).feed(tar);
        recovery.applied(metadata);
    }

    @Override
    public void finishRestore(int incrementals) throws IOException {
        recovery.finish(incrementals);
    }

    /** A full backup's stop WAL file: point-in-time restore from it replays the shipped WAL from there on. */
    @Override
    public String logPosition(Map<String, String> metadata) {
        String stop = metadata.get(BackupHistoryFile.STOP_WAL_FILE);
        return stop != null && WalFileName.isSegment(stop) ? stop : null;
    }

    /** Shipped WAL ({@link PostgresLogShipper}'s tar) goes into the archive, as an incremental's does. */
    @Override
    public void restoreLog(InputStream tar) throws IOException {
        ProcessBuilder builder = asRunAs.builder(extract(archive.dir()), settings.dataDir());
        ToolProcess.start("tar", builder).feed(tar);
    }

    @Override
    public void finishRestore(int incrementals, Instant restoreTime) throws IOException {
        recovery.finishAt(incrementals, restoreTime);
    }
}
