package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.backup.BackupEngine;
import org.trovej.guestagent.backup.BackupSource;
import org.trovej.guestagent.backup.ToolProcess;
import org.trovej.guestagent.datastore.FilesystemStats;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * PostgreSQL's full backup: {@code pg_basebackup -Ft -X fetch -D -}, one tar of the whole cluster on stdout with
 * the WAL needed to make it consistent inside ({@code pg_wal/}), taken over a replication connection as the
 * agent's {@code os_admin} (a superuser) with a fast checkpoint. A restore extracts that tar into the empty
 * PGDATA as {@code run_as}; the first start then recovers to the end of the backup from the included WAL
 * ({@code backup_label}), no archive needed.
 */
final class PostgresBackupEngine implements BackupEngine {

    private static final Logger log = LoggerFactory.getLogger(PostgresBackupEngine.class);

    private final PostgresSettings settings;
    private final PostgresServer server;
    private final PostgresConfigFiles files;
    private final Supplier<String> adminPassword;
    private final Commands asRunAs;

    PostgresBackupEngine(PostgresSettings settings, PostgresServer server, PostgresConfigFiles files,
                         Supplier<String> adminPassword) {
        this.settings = settings;
        this.server = server;
        this.files = files;
        this.adminPassword = adminPassword;
        this.asRunAs = new Commands(settings.runAs());
    }

    /** Trove's name: {@code <backup id>.tar.gz}. */
    @Override
    public String objectSuffix() {
        return ".tar.gz";
    }

    @Override
    public long dataSize() {
        return FilesystemStats.directorySize(settings.pgData());
    }

    @Override
    public BackupSource openFullBackup() throws IOException {
        if (!server.processState().running()) {
            throw new IOException("PostgreSQL is not running: a backup needs the database up");
        }
        // clusters prepared before backups existed have no replication rule for os_admin yet
        files.writeHba();
        server.reload();
        Path passFile = Files.createTempFile("trove-guestagent-pgpass-", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            // libpq's password file: the password never appears on a command line or in the environment
            Files.writeString(passFile, "*:*:*:" + PostgresConfigFiles.ADMIN_ROLE + ":"
                    + adminPassword.get().replace("\\", "\\\\").replace(":", "\\:") + "\n");
            ProcessBuilder builder = Commands.asAgent().builder(List.of(settings.tool("pg_basebackup").toString(),
                    "-h", settings.connectHost(), "-p", Integer.toString(settings.port()),
                    "-U", PostgresConfigFiles.ADMIN_ROLE, "-w", "-Ft", "-X", "fetch", "-D", "-",
                    "-c", "fast", "-l", "trove backup"), null);
            builder.environment().put("PGPASSFILE", passFile.toString());
            builder.environment().put("PGSSLMODE", "disable");
            builder.environment().put("PGAPPNAME", "trove-guestagent backup");
            log.info("Running pg_basebackup against {}", settings.connectAddress());
            InputStream tar = ToolProcess.start("pg_basebackup", builder).output();
            return BackupSource.of(new java.io.FilterInputStream(tar) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        Files.deleteIfExists(passFile);
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(passFile);
            throw e;
        }
    }

    @Override
    public void clearDataDirectory() throws IOException {
        if (server.processState().running()) {
            throw new IOException("PostgreSQL is running on " + settings.pgData() + ": it cannot be emptied");
        }
        TemplateDirectories.deleteTree(settings.pgData());
        OsUser.ensureDirectory(settings.pgData(), settings.runAs(), "rwx------");
    }

    @Override
    public void restore(InputStream tar) throws IOException {
        ProcessBuilder builder = asRunAs.builder(List.of("tar", "-x", "-f", "-", "-C", settings.pgData().toString(),
                "--no-same-owner"), settings.dataDir());
        ToolProcess.start("tar", builder).feed(tar);
        if (!Files.exists(settings.pgData().resolve("PG_VERSION"))) {
            throw new IOException("the backup holds no PostgreSQL cluster (no PG_VERSION)");
        }
    }
}
