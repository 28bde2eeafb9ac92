package org.trovej.guestagent.mysql;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.backup.BackupEngine;
import org.trovej.guestagent.backup.BackupSource;
import org.trovej.guestagent.backup.ToolProcess;
import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.guestagent.datastore.FilesystemStats;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * The MySQL family's backups with {@code mariabackup}, as Trove's mariabackup driver takes them: a full backup is
 * {@code mariabackup --backup --stream=xbstream} of the running server (InnoDB copied hot, the rest under
 * MariaDB's backup locks), an incremental the same with {@code --incremental-lsn=} its parent's {@code Lsn}
 * metadata; every backup stores its own checkpoint LSN as {@code Lsn} for its children. The tool runs as the
 * agent's user, logged in as {@code os_admin} through the server's socket with the password in a 0600 option file
 * deleted after it; the stream goes straight to the shared pipeline.
 * <p>
 * A restore unpacks the full backup into the empty datadir with {@code mbstream -x}, each incremental into a
 * directory beside it, as the server's user. A part is prepared ({@code mariabackup --prepare}, with
 * {@code --incremental-dir} for an incremental) only once it and everything before it passed their checksums:
 * the base when the first incremental arrives or at {@link #finishRestore}, an incremental when the next one
 * arrives or at {@link #finishRestore}. So at most one incremental is on disk beside the datadir, as in Trove.
 * <p>
 * Oracle MySQL servers need Percona XtraBackup instead, which this agent does not run: their backups and
 * restores are refused saying so.
 */
final class MariaBackupEngine implements BackupEngine {

    private static final Logger log = LoggerFactory.getLogger(MariaBackupEngine.class);
    /** Applying the redo log of a big or busy server's backup takes long; it is never cut short early. */
    private static final Duration PREPARE_TIMEOUT = Duration.ofHours(6);
    /** In the checkpoints file mariabackup writes ({@code --extra-lsndir}, and inside every backup). */
    private static final String CHECKPOINTS = "xtrabackup_checkpoints";
    private static final Pattern TO_LSN = Pattern.compile("(?m)^to_lsn\\s*=\\s*(\\d+)\\s*$");
    private static final Pattern BACKUP_TYPE = Pattern.compile("(?m)^backup_type\\s*=\\s*(\\S+)\\s*$");
    private static final Pattern LSN = Pattern.compile("\\d{1,20}");
    /** TroveJ's metadata: the binlog file being written when the backup started (point-in-time restore). */
    static final String META_BINLOG_FILE = "Binlog-File";
    /** Trove's metadata name for a backup's checkpoint LSN (X-Object-Meta-Lsn). */
    static final String META_LSN = "Lsn";
    /** The backup's binlog file, offset and GTID position, in a restored datadir (MariaDB 10.5+'s name). */
    static final String BINLOG_INFO = "mariadb_backup_binlog_info";
    /** mariabackup's line prefixes: {@code [00] 2024-01-02 03:04:05 }, the server's {@code 2024-01-02  3:04:05 0 }. */
    private static final Pattern PREFIX = Pattern.compile(
            "^(\\[\\d+\\]\\s+)?(\\d{4}-\\d\\d-\\d\\d\\s+\\d{1,2}:\\d\\d:\\d\\d\\s+(\\d+\\s+)?)?");
    /** What marks a line of mariabackup's as its error. */
    private static final Pattern ERROR = Pattern.compile(
            "error|failed|fatal|cannot|can't|denied|missing|not found|no such|aborting", Pattern.CASE_INSENSITIVE);
    /** Progress lines, whose file names may look like errors ({@code statements_with_errors_or_warnings.frm}). */
    private static final Pattern PROGRESS = Pattern.compile("^(Streaming|Copying|\\.\\.\\.done|>> log scanned)");
    /** A hash in a quoted SHOW GRANTS line (mariabackup prints the account's grants when one is missing). */
    private static final Pattern PASSWORD_HASH = Pattern.compile("(?i)(PASSWORD\\s+)'[^']*'");

    private final MySqlSettings settings;
    private final MySqlServer server;
    private final MariaBackupPrivileges privileges;
    private final Supplier<String> adminPassword;
    private final Commands asRunAs;
    private final MySqlAdmin admin;
    private final MySqlBinlogArchive binlogs;

    MariaBackupEngine(MySqlSettings settings, MySqlServer server, MariaBackupPrivileges privileges,
                      Supplier<String> adminPassword, MySqlAdmin admin, MySqlBinlogArchive binlogs) {
        this.admin = admin;
        this.binlogs = binlogs;
        this.settings = settings;
        this.server = server;
        this.privileges = privileges;
        this.adminPassword = adminPassword;
        this.asRunAs = new Commands(settings.runAs());
    }

    /** As Trove's {@code <backup id>.xbstream.gz}. */
    @Override
    public String archiveSuffix() {
        return ".xbstream";
    }

    @Override
    public long dataSize() {
        return FilesystemStats.directorySize(settings.datadir());
    }

    @Override
    public BackupSource openFullBackup() throws IOException {
        return openBackup(List.of());
    }

    @Override
    public BackupSource openIncrementalBackup(Map<String, String> parentMetadata) throws IOException {
        String lsn = parentMetadata.get(META_LSN.toLowerCase(java.util.Locale.ROOT));
        if (lsn == null || !LSN.matcher(lsn).matches()) {
            throw new IOException("the parent backup has no usable " + META_LSN + " metadata ("
                    + (lsn == null ? "none" : "'" + lsn + "'") + "): it was not taken by mariabackup");
        }
        return openBackup(List.of("--incremental-lsn=" + lsn));
    }

    private BackupSource openBackup(List<String> extraArguments) throws IOException {
        if (!server.processState().running()) {
            throw new IOException("The server is not running: a backup needs the database up");
        }
        requireMariaDb();
        Path mariabackup = settings.requireMariabackup();
        // datadirs prepared by another agent version, or an account changed by hand, may lack what the tool needs
        privileges.ensure();
        Path work = Files.createTempDirectory("trove-guestagent-mariabackup-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path options = work.resolve("backup.cnf");
            // the server's own option files first (InnoDB's layout), then the login: the password is in no
            // command line and in no environment, only in this file of the agent's user, deleted with the backup
            OsUser.writeFile(options, "!include " + settings.configFile() + "\n"
                    + "[client]\n"
                    + "user = " + AdminCredentials.ADMIN_USER + "\n"
                    + "password = " + optionValue(adminPassword.get()) + "\n"
                    + "socket = " + settings.socket() + "\n", null, "rw-------");
            Path lsnDir = Files.createDirectory(work.resolve("lsn"));
            Path target = Files.createDirectory(work.resolve("target"));
            List<String> command = new ArrayList<>(List.of(mariabackup.toString(), "--defaults-file=" + options,
                    "--backup", "--stream=xbstream", "--target-dir=" + target, "--extra-lsndir=" + lsnDir));
            command.addAll(extraArguments);
            ProcessBuilder builder = Commands.asAgent().builder(command, work);
            log.info("Running {} {}against {}", mariabackup.getFileName(),
                    extraArguments.isEmpty() ? "" : String.join(" ", extraArguments) + " ", settings.socket());
            // named as the tool, whatever its file is called (mariadb-backup, a wrapper)
            // the binlog file being written as the backup starts: its consistent point is in this file or a later
            // one, so point-in-time restore ships from here (TroveJ's Binlog-File metadata, log_position)
            String binlogFile = currentBinlogFile();
            InputStream stream = ToolProcess.start("mariabackup", builder, MariaBackupEngine::reason).output();
            LsnAtEnd source = new LsnAtEnd(stream, lsnDir.resolve(CHECKPOINTS), work);
            return new BackupSource(source, () -> binlogFile == null ? Map.of(META_LSN, source.lsn())
                    : Map.of(META_LSN, source.lsn(), META_BINLOG_FILE, binlogFile));
        } catch (IOException | RuntimeException e) {
            TemplateDirectories.deleteTree(work);
            throw e;
        }
    }

    /**
     * The backup's stream, reading the checkpoint LSN mariabackup wrote once the tool has ended well (a backup
     * without one could have no incremental on top); closing it removes the tool's working directory.
     */
    private static final class LsnAtEnd extends FilterInputStream {

        private final Path checkpoints;
        private final Path work;
        private volatile String lsn;

        LsnAtEnd(InputStream in, Path checkpoints, Path work) {
            super(in);
            this.checkpoints = checkpoints;
            this.work = work;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                atEnd();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                atEnd();
            }
            return n;
        }

        private void atEnd() throws IOException {
            if (lsn == null) {
                lsn = toLsn(checkpoints).orElseThrow(() -> new IOException(
                        "mariabackup ended without writing its checkpoint LSN to " + checkpoints));
            }
        }

        String lsn() {
            if (lsn == null) {
                throw new IllegalStateException("the backup's LSN is known only once its stream has ended");
            }
            return lsn;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                TemplateDirectories.deleteTree(work);
            }
        }
    }

    private String currentBinlogFile() {
        try (java.sql.Connection c = admin.connect(); java.sql.Statement s = c.createStatement()) {
            return MySqlBinlogArchive.current(s).orElse(null);
        } catch (java.sql.SQLException e) {
            log.warn("The binlog position at the backup's start is unknown ({}): no point-in-time restore from it",
                    e.getMessage());
            return null;
        }
    }

    /** The binlog file current at the backup's start: point-in-time restore's log from there on replays onto it. */
    @Override
    public String logPosition(Map<String, String> metadata) {
        String file = metadata.get(META_BINLOG_FILE);
        return MySqlBinlogArchive.isFile(file) ? file : null;
    }

    /** The newest stored backup's binlog file is where log shipping starts. */
    @Override
    public void backupEnded(boolean stored, Map<String, String> metadata) {
        String file = stored ? logPosition(metadata) : null;
        if (file != null) {
            binlogs.recordNewestBackupFile(file);
        }
    }

    /** Shipped binlog files wait beside the datadir for the replay at the first start. */
    @Override
    public void restoreLog(InputStream stream) throws IOException {
        binlogs.stage(stream);
    }

    @Override
    public void finishRestore(int incrementals, java.time.Instant restoreTime) throws IOException {
        finishRestore(incrementals);
        OsUser.writeFile(binlogs.replayMarker(), (restoreTime == null ? MySqlBinlogArchive.REPLAY_END
                : restoreTime.toString()) + "\n", settings.runAs(), "rw-------");
        log.info("The restored datadir replays the shipped binary log to {} at its first start",
                restoreTime == null ? "its end" : restoreTime);
    }

    @Override
    public void clearDataDirectory() throws IOException {
        if (server.processState().running()) {
            throw new IOException("The server is running on " + settings.datadir() + ": it cannot be emptied");
        }
        TemplateDirectories.deleteTree(incrementalDir());
        binlogs.clearRestore();
        TemplateDirectories.deleteTree(settings.datadir());
        OsUser.ensureDirectory(settings.datadir(), settings.runAs(), "rwx------");
    }

    @Override
    public void restore(InputStream stream) throws IOException {
        requireMariaDb();
        unpack(stream, settings.datadir());
        String type = backupType(settings.datadir());
        if (!"full-backuped".equals(type)) {
            throw new IOException("the backup is not a full mariabackup backup (backup_type " + type + ")");
        }
        if (!Files.isDirectory(settings.datadir().resolve("mysql"))) {
            throw new IOException("the backup holds no MariaDB datadir (no mysql/)");
        }
    }

    @Override
    public void restoreIncremental(InputStream stream, Map<String, String> metadata) throws IOException {
        // everything restored so far has passed its checksums: it may be prepared now
        preparePending();
        OsUser.ensureDirectory(incrementalDir(), settings.runAs(), "rwx------");
        unpack(stream, incrementalDir());
        String type = backupType(incrementalDir());
        if (!"incremental".equals(type)) {
            throw new IOException("the backup is not an incremental mariabackup backup (backup_type " + type + ")");
        }
    }

    @Override
    public void finishRestore(int incrementals) throws IOException {
        preparePending();
        // what --copy-back would have left behind: the datadir holds the server's files only
        try (Stream<Path> files = Files.list(settings.datadir())) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.equals("xtrabackup_binlog_info")) {
                    // kept under MariaDB's newer name: the backup's binlog position, where a replica made from
                    // this backup starts replicating
                    Files.move(file, file.resolveSibling(BINLOG_INFO), StandardCopyOption.REPLACE_EXISTING);
                    continue;
                }
                if (name.startsWith("xtrabackup_") || name.equals("backup-my.cnf")) {
                    Files.deleteIfExists(file);
                }
            }
        }
        log.info("Restored datadir prepared ({} incremental(s) applied)", incrementals);
    }

    /** Where an incremental is unpacked, on the volume beside the datadir (sized like the data). */
    private Path incrementalDir() {
        return settings.dataDir().resolve("data.incremental");
    }

    /** Prepares the base if it is not yet, then applies the unpacked incremental waiting beside it, if any. */
    private void preparePending() throws IOException {
        if ("full-backuped".equals(backupType(settings.datadir()))) {
            prepare(List.of());
        }
        if (Files.isDirectory(incrementalDir())) {
            prepare(List.of("--incremental-dir=" + incrementalDir()));
            TemplateDirectories.deleteTree(incrementalDir());
        }
    }

    private void prepare(List<String> extraArguments) throws IOException {
        Path mariabackup = settings.requireMariabackup();
        // no option file of the host's: the backup's own backup-my.cnf tells InnoDB's layout
        List<String> command = new ArrayList<>(List.of(mariabackup.toString(), "--no-defaults", "--prepare",
                "--target-dir=" + settings.datadir()));
        command.addAll(extraArguments);
        long started = System.nanoTime();
        CommandResult result = asRunAs.run(command, settings.dataDir(), null, PREPARE_TIMEOUT);
        if (!result.ok()) {
            throw new IOException("mariabackup --prepare failed (exit " + result.exitCode() + "): "
                    + reason(result.stderr().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()));
        }
        log.info("mariabackup --prepare {}done in {} ms", extraArguments.isEmpty() ? ""
                : String.join(" ", extraArguments) + " ", (System.nanoTime() - started) / 1_000_000);
    }

    private void unpack(InputStream stream, Path into) throws IOException {
        ProcessBuilder builder = asRunAs.builder(List.of(settings.requireMbstream().toString(), "-x", "-C",
                into.toString()), settings.dataDir());
        ToolProcess.start("mbstream", builder).feed(stream);
    }

    /** Oracle MySQL's datadirs are not mariabackup's to copy: say so rather than let the tool fail obscurely. */
    private void requireMariaDb() throws IOException {
        if (!server.isMariaDb()) {
            throw new IOException("Backups of MySQL servers need Percona XtraBackup, which this guest agent does "
                    + "not run: only MariaDB servers are backed up and restored (with mariabackup)");
        }
    }

    private static String backupType(Path dir) throws IOException {
        Path file = dir.resolve(CHECKPOINTS);
        if (!Files.isRegularFile(file)) {
            return "none: no " + CHECKPOINTS;
        }
        Matcher m = BACKUP_TYPE.matcher(Files.readString(file));
        return m.find() ? m.group(1) : "unknown";
    }

    static Optional<String> toLsn(Path checkpoints) throws IOException {
        if (!Files.isRegularFile(checkpoints)) {
            return Optional.empty();
        }
        Matcher m = TO_LSN.matcher(Files.readString(checkpoints));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A value of a MySQL option file: quoted, its backslashes and quotes escaped, so any text reads back as is. */
    static String optionValue(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                + "\"";
    }

    /**
     * mariabackup goes on logging after its error (InnoDB's shutdown, the account's grants): its failure reads as
     * its last error lines, without the time stamps and without a password hash; else its last lines.
     */
    static String reason(List<String> lines) {
        List<String> cleaned = lines.stream().map(l -> PREFIX.matcher(l).replaceFirst(""))
                .map(l -> PASSWORD_HASH.matcher(l).replaceAll("$1'...'")).filter(l -> !l.isBlank()).toList();
        List<String> errors = cleaned.stream().filter(l -> !PROGRESS.matcher(l).find())
                .filter(l -> ERROR.matcher(l).find())
                .filter(l -> !l.startsWith("GRANT") && !l.matches("\\d+\\.GRANT.*")).toList();
        List<String> chosen = errors.isEmpty() ? cleaned : errors;
        return String.join(" | ", chosen.subList(Math.max(0, chosen.size() - 3), chosen.size()));
    }
}
