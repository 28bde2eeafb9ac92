package org.trovej.guestagent.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.trovej.guestagent.backup.ToolProcess;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * The binary log as point-in-time restore uses it (beyond Trove): the server's binlog files in the datadir
 * ({@code mariadb-bin.000001} ...; names of one server compare in order as text), two markers of the agent's beside
 * the datadir (the binlog file that was current when the newest stored backup started, from which shipping
 * starts; the newest file shipped), and, in a restore, the shipped files waiting for their replay
 * ({@code <data_dir>/pitr-binlogs}) with the moment to stop at ({@code <data_dir>/pitr-replay}).
 */
final class MySqlBinlogArchive {

    private static final Pattern FILE = Pattern.compile(Pattern.quote(MySqlConfigFiles.BINLOG) + "\\.[0-9]{6,}");
    private static final String NEWEST_BACKUP = ".pitr-newest-backup-binlog";
    private static final String SHIPPED = ".pitr-shipped-binlog";
    static final String REPLAY_END = "end";

    private final MySqlSettings settings;
    private final Commands asRunAs;

    MySqlBinlogArchive(MySqlSettings settings) {
        this.settings = settings;
        this.asRunAs = new Commands(settings.runAs());
    }

    static boolean isFile(String name) {
        return name != null && FILE.matcher(name).matches();
    }

    /** The binlog file being written now ({@code SHOW MASTER STATUS}); empty when binary logging is off. */
    static Optional<String> current(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** The server's binlog files, oldest first ({@code SHOW BINARY LOGS}). */
    static List<String> files(Statement s) throws SQLException {
        List<String> files = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        return files;
    }

    Optional<String> newestBackupFile() {
        return read(NEWEST_BACKUP);
    }

    void recordNewestBackupFile(String file) {
        OsUser.writeFile(settings.dataDir().resolve(NEWEST_BACKUP), file + "\n", settings.runAs(), "rw-------");
    }

    Optional<String> shippedThrough() {
        return read(SHIPPED);
    }

    void recordShippedThrough(String file) {
        OsUser.writeFile(settings.dataDir().resolve(SHIPPED), file + "\n", settings.runAs(), "rw-------");
    }

    void forgetShipped() throws IOException {
        Files.deleteIfExists(settings.dataDir().resolve(SHIPPED));
    }

    private Optional<String> read(String marker) {
        Path file = settings.dataDir().resolve(marker);
        try {
            String name = Files.readString(file).strip();
            return isFile(name) ? Optional.of(name) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A tar of the named binlog files of the datadir, read as the server's user. */
    InputStream tar(List<String> files) throws IOException {
        List<String> command = new ArrayList<>(List.of("tar", "-c", "-f", "-", "-C", settings.datadir().toString(),
                "--"));
        command.addAll(files);
        return ToolProcess.start("tar", asRunAs.builder(command, settings.dataDir())).output();
    }

    /** Where a restore puts the shipped binlog files until the server has started and replayed them. */
    Path staging() {
        return settings.dataDir().resolve("pitr-binlogs");
    }

    Path replayMarker() {
        return settings.dataDir().resolve("pitr-replay");
    }

    /** A shipped object's tar, extracted into {@link #staging()}. */
    void stage(InputStream tar) throws IOException {
        OsUser.ensureDirectory(staging(), settings.runAs(), "rwx------");
        ToolProcess.start("tar", asRunAs.builder(List.of("tar", "-x", "-f", "-", "-C", staging().toString(),
                "--no-same-owner"), settings.dataDir())).feed(tar);
    }

    /** Before a restore: nothing of an earlier attempt (or of the data replaced) stays. */
    void clearRestore() throws IOException {
        TemplateDirectories.deleteTree(staging());
        Files.deleteIfExists(replayMarker());
        Files.deleteIfExists(settings.dataDir().resolve(NEWEST_BACKUP));
        Files.deleteIfExists(settings.dataDir().resolve(SHIPPED));
    }
}
