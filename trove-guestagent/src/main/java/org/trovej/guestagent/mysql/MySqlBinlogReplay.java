package org.trovej.guestagent.mysql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.AdminCredentials;
import org.trovej.guestagent.datastore.TemplateDirectories;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;
import org.trovej.guestagent.os.OsUser;

/**
 * The second half of a MariaDB point-in-time restore, at the restored server's first start: the shipped binlog
 * files (staged by the restore) replayed from the backup's own binlog position ({@code mariadb_backup_binlog_info}
 * in the datadir) up to the moment, with {@code mariadb-binlog} piped into the {@code mariadb} client as the agent's
 * admin. Binlog events carry whole seconds: the replay stops at the first event of the moment's second, so a
 * moment restores to the second. A failure fails the prepare, naming the tool's message.
 */
final class MySqlBinlogReplay {

    private static final Logger log = LoggerFactory.getLogger(MySqlBinlogReplay.class);
    private static final DateTimeFormatter STOP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final java.time.Duration TIMEOUT = java.time.Duration.ofHours(6);

    private final MySqlSettings settings;
    private final MySqlBinlogArchive binlogs;
    private final Supplier<String> adminPassword;

    MySqlBinlogReplay(MySqlSettings settings, MySqlBinlogArchive binlogs, Supplier<String> adminPassword) {
        this.settings = settings;
        this.binlogs = binlogs;
        this.adminPassword = adminPassword;
    }

    /** Replays what a point-in-time restore staged, if it did; then forgets it. */
    void replayIfPending() throws IOException {
        Path marker = binlogs.replayMarker();
        if (!Files.exists(marker)) {
            return;
        }
        String stopAt = Files.readString(marker).strip();
        String[] start = Files.readString(settings.datadir().resolve(MariaBackupEngine.BINLOG_INFO)).strip()
                .split("\\s+");
        if (start.length < 2 || !MySqlBinlogArchive.isFile(start[0])) {
            throw new IOException("the restored backup records no binlog position (" + MariaBackupEngine.BINLOG_INFO
                    + "): it cannot be replayed to a moment");
        }
        List<String> files;
        try (Stream<Path> staged = Files.list(binlogs.staging())) {
            files = staged.map(p -> p.getFileName().toString()).filter(MySqlBinlogArchive::isFile)
                    .filter(f -> f.compareTo(start[0]) >= 0).sorted().toList();
        }
        if (files.isEmpty() || !files.get(0).equals(start[0])) {
            throw new IOException("the shipped binary log does not begin at the backup's position " + start[0]);
        }
        Path work = Files.createTempDirectory("trove-guestagent-replay-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path options = work.resolve("client.cnf");
            OsUser.writeFile(options, "[client]\nuser = " + AdminCredentials.ADMIN_USER + "\npassword = "
                    + MariaBackupEngine.optionValue(adminPassword.get()) + "\nsocket = " + settings.socket() + "\n",
                    null, "rw-------");
            List<String> binlog = new ArrayList<>(List.of(tool("mariadb-binlog", "mysqlbinlog"), "--no-defaults",
                    "--start-position=" + start[1]));
            if (!MySqlBinlogArchive.REPLAY_END.equals(stopAt)) {
                binlog.add("--stop-datetime=" + STOP.format(Instant.parse(stopAt)));
            }
            files.forEach(f -> binlog.add(binlogs.staging().resolve(f).toString()));
            String pipeline = "set -o pipefail; " + quoted(binlog) + " | " + quoted(List.of(
                    tool("mariadb", "mysql"), "--defaults-file=" + options, "--binary-mode"));
            long started = System.nanoTime();
            // mariadb-binlog reads --stop-datetime in its own time zone
            CommandResult result = Commands.asAgent().run(List.of("env", "TZ=UTC", "bash", "-c", pipeline), work,
                    null, TIMEOUT);
            if (!result.ok()) {
                throw new IOException("replaying the shipped binary log failed (exit " + result.exitCode() + "): "
                        + result.stderr().strip());
            }
            log.info("Replayed {} shipped binlog file(s) from {}:{} to {} in {} ms", files.size(), start[0], start[1],
                    MySqlBinlogArchive.REPLAY_END.equals(stopAt) ? "their end" : stopAt,
                    (System.nanoTime() - started) / 1_000_000);
        } finally {
            TemplateDirectories.deleteTree(work);
        }
        TemplateDirectories.deleteTree(binlogs.staging());
        Files.deleteIfExists(marker);
    }

    private static String tool(String name, String fallback) {
        Path path = Path.of("/usr/bin", name);
        return Files.isExecutable(path) ? path.toString() : Path.of("/usr/bin", fallback).toString();
    }

    private static String quoted(List<String> words) {
        return String.join(" ", words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
    }
}
