package org.trovej.guestagent.mysql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.trovej.guestagent.pitr.LogBatch;
import org.trovej.guestagent.pitr.LogShipper;

/**
 * MariaDB's log shipping for point-in-time restore: the binary log, shipped file by file. A turn in which a
 * transaction was written (the GTID position moved) notes the server's clock and closes the current file ({@code FLUSH BINARY LOGS}); every transaction
 * committed before the noted moment is then in a closed file, and the closed files from the last shipped one on are
 * the batch. A turn in which nothing was written ships nothing and only reports the moment. Shipping starts at the
 * file that was current when the newest backup started (the backup's consistent point is in it or later); files
 * purged before they were shipped make the batch start after the hole, flagged. A replica ships nothing.
 */
final class MySqlLogShipper implements LogShipper {

    private final MySqlServer server;
    private final MySqlAdmin admin;
    private final MySqlBinlogArchive binlogs;
    /** The GTID position at this agent's last flush: unchanged means no transaction was written since. */
    private volatile String flushedAt;

    MySqlLogShipper(MySqlServer server, MySqlAdmin admin, MySqlBinlogArchive binlogs) {
        this.server = server;
        this.admin = admin;
        this.binlogs = binlogs;
    }

    @Override
    public Optional<LogBatch> nextBatch() throws IOException {
        Optional<String> shipped = binlogs.shippedThrough();
        Optional<String> base = binlogs.newestBackupFile();
        if ((shipped.isEmpty() && base.isEmpty()) || !server.processState().running()) {
            return Optional.empty();
        }
        Instant until;
        List<String> files;
        String current;
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout(60);
            try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                if (rs.next()) {
                    return Optional.empty();
                }
            }
            if (shipped.isPresent() && gtidPosition(s).equals(flushedAt)) {
                return Optional.of(LogBatch.idle(shipped.get(), utcNow(s)));
            }
            until = utcNow(s);
            // the transactions so far, by GTID: the binlog's own events (a checkpoint written after a flush) move
            // its offset without any commit
            flushedAt = gtidPosition(s);
            s.execute("FLUSH BINARY LOGS");
            current = MySqlBinlogArchive.current(s).orElseThrow(() -> new IOException("binary logging is off"));
            files = MySqlBinlogArchive.files(s);
        } catch (SQLException e) {
            throw new IOException("MariaDB refused to close its binary log: " + e.getMessage(), e);
        }
        String from = shipped.map(MySqlLogShipper::successor).orElse(base.orElseThrow());
        List<String> closed = files.stream().filter(f -> f.compareTo(from) >= 0 && f.compareTo(current) < 0)
                .toList();
        if (closed.isEmpty()) {
            return Optional.of(LogBatch.idle(shipped.orElse(from), until));
        }
        return Optional.of(new LogBatch(closed, closed.get(0), closed.get(closed.size() - 1), until,
                !closed.get(0).equals(from), ".tar", () -> binlogs.tar(closed)));
    }

    /** The next file's name: the number one up, as wide as before. */
    static String successor(String file) {
        int dot = file.lastIndexOf('.');
        String digits = file.substring(dot + 1);
        String next = Long.toString(Long.parseLong(digits) + 1);
        return file.substring(0, dot + 1) + "0".repeat(Math.max(0, digits.length() - next.length())) + next;
    }

    private static String gtidPosition(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    private static Instant utcNow(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT UTC_TIMESTAMP(6)")) {
            rs.next();
            return rs.getObject(1, java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
    }

    @Override
    public void shipped(LogBatch batch) {
        binlogs.recordShippedThrough(batch.last());
    }

    @Override
    public void forget() throws IOException {
        binlogs.forgetShipped();
        flushedAt = null;
    }
}
