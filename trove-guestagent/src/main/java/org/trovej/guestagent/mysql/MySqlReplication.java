package org.trovej.guestagent.mysql;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.json.PythonJson;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.replication.ReplicationEngine;

/**
 * MariaDB's replication coordinated by GTIDs (Trove's {@code MariaDBGTIDReplication}), for the MySQL family's
 * servers, which are MariaDB's under either name.
 * <ul>
 * <li>Every instance runs with the binary log, its own {@code server_id} and {@code log_slave_updates}
 * ({@link MySqlConfigFiles#writeSystem}); so any replica can become a source and any source a replica.</li>
 * <li>A source's replica context: a replication user {@code slave_<8 hex>} with a random password and only
 * {@code REPLICATION SLAVE}, from any host, made for each context (as Trove does); its address and port; and
 * {@code @@gtid_binlog_pos}.</li>
 * <li>A replica is read-only ({@code read_only = ON} in the replication layer, and at runtime): users, who never
 * hold {@code READ_ONLY ADMIN} or {@code SUPER}, cannot write; the agent's account (and an enabled root) can.
 * The agent's own changes on any instance (its accounts, replication users, replication state) are made with
 * {@code sql_log_bin = 0}: they are no transactions of the data set, and a replica's binary log holds only its
 * source's transactions.</li>
 * <li>A new replica starts from the GTID position of its backup ({@code mariadb_backup_binlog_info}): that is its
 * {@code gtid_slave_pos} and also its {@code gtid_binlog_state}, so that once it is promoted a sibling or the old
 * source that has exactly that position can follow it before anything new was written.</li>
 * <li>An instance made to follow a source uses {@code MASTER_USE_GTID = slave_pos}, except one that has written
 * transactions of its own after what it replicated (an old source: {@code gtid_current_pos} differs from
 * {@code gtid_slave_pos}), which uses {@code current_pos}.</li>
 * </ul>
 * The replication password is never logged: no statement carrying it is.
 */
final class MySqlReplication implements ReplicationEngine {

    static final String STRATEGY = "MariaDBGTIDReplication";
    /** How long a replica may take to connect to its source and run both threads before its prepare fails. */
    static final Duration CONNECT_WAIT = Duration.ofSeconds(60);
    /** The files mariabackup writes the backup's binlog position to (MariaDB 10.5+, then older). */
    static final String[] BINLOG_INFO = {"mariadb_backup_binlog_info", "xtrabackup_binlog_info"};
    private static final Pattern GTID_LIST = Pattern.compile("(\\d+-\\d+-\\d+)?(,\\s*\\d+-\\d+-\\d+)*");
    private static final Pattern REPLICATION_USER = Pattern.compile("slave_[0-9a-f]{8}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(MySqlReplication.class);

    private final MySqlSettings settings;
    private final MySqlAdmin admin;
    private final MySqlConfigFiles files;
    private final Runnable restartServer;

    /** {@code restartServer}: stops and starts the server (to turn the binary log on for a datadir of old). */
    MySqlReplication(MySqlSettings settings, MySqlAdmin admin, MySqlConfigFiles files, Runnable restartServer) {
        this.settings = settings;
        this.admin = admin;
        this.files = files;
        this.restartServer = restartServer;
    }

    @Override
    public String strategy() {
        return STRATEGY;
    }

    /**
     * Everything a source needs is on every instance: the binary log, the server id, {@code log_slave_updates};
     * a server started before they were in its configuration (an agent of old) is restarted to have them.
     */
    @Override
    public void enableAsSource() {
        boolean ready = query(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT @@log_bin, @@log_slave_updates, @@server_id")) {
                rs.next();
                return rs.getInt(1) == 1 && rs.getInt(2) == 1 && rs.getLong(3) == files.serverId();
            }
        });
        if (!ready) {
            log.info("The server runs without the binary log or its server id: restarting it to enable them");
            restartServer.run();
        }
        log.info("Enabled as a replication source (server_id {})", files.serverId());
    }

    @Override
    public ObjectNode replicaContext() {
        String name = "slave_" + hex(4);
        String password = password(24);
        String gtidPos = query(c -> {
            try (Statement s = c.createStatement()) {
                noBinlog(s);
                try (PreparedStatement ps = c.prepareStatement("CREATE USER ?@'%' IDENTIFIED BY ?")) {
                    ps.setString(1, name);
                    ps.setString(2, password);
                    ps.execute();
                }
                s.execute("GRANT REPLICATION SLAVE ON *.* TO " + MySqlAdmin.literal(name) + "@'%'");
                try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        log.info("Replication user {} created; the source's binlog position is {}", name, gtidPos);
        ObjectNode context = PythonJson.object();
        ObjectNode master = context.putObject("master");
        master.put("host", advertisedHost());
        master.put("port", settings.port());
        ObjectNode conf = context.putObject("replica_conf");
        conf.putObject("log_position").put("gtid_pos", gtidPos);
        ObjectNode user = conf.putObject("replication_user");
        user.put("name", name);
        user.put("password", password);
        return context;
    }

    @Override
    public void configureAsReplica(ObjectNode snapshot) {
        Source source = Source.of(snapshot);
        files.writeReplication(true);
        log.info("Configured as a read-only replica of {}:{}", source.host(), source.port());
    }

    @Override
    public void startReplicating(ObjectNode snapshot) {
        Source source = Source.of(snapshot);
        String gtid = backupPosition();
        execute(c -> {
            try (Statement s = c.createStatement()) {
                noBinlog(s);
                s.execute("SET GLOBAL read_only = ON");
                s.execute("STOP SLAVE");
                s.execute("RESET SLAVE ALL");
                // the binary log starts at the backup's position: once promoted, this instance can serve a
                // replica (a sibling, its old source) that is exactly there
                s.execute("RESET MASTER");
                if (!gtid.isEmpty()) {
                    s.execute("SET GLOBAL gtid_binlog_state = " + MySqlAdmin.literal(gtid));
                }
                s.execute("SET GLOBAL gtid_slave_pos = " + MySqlAdmin.literal(gtid));
                changeMaster(s, source, "slave_pos");
                s.execute("START SLAVE");
            }
            return null;
        });
        log.info("Replicating from {}:{} from the backup's position '{}'", source.host(), source.port(), gtid);
        awaitRunning(CONNECT_WAIT);
    }

    @Override
    public void attachReplica(ObjectNode replicaInfo, boolean restart) {
        Source source = Source.of(replicaInfo);
        files.writeReplication(true);
        String mode = query(c -> {
            try (Statement s = c.createStatement()) {
                noBinlog(s);
                s.execute("SET GLOBAL read_only = ON");
                s.execute("STOP SLAVE");
                s.execute("RESET SLAVE ALL");
                String current = single(s, "SELECT @@GLOBAL.gtid_current_pos");
                String slave = single(s, "SELECT @@GLOBAL.gtid_slave_pos");
                // an old source's own transactions are in its binary log, not in gtid_slave_pos
                String use = Gtids.parse(current).equals(Gtids.parse(slave)) ? "slave_pos" : "current_pos";
                log.info("Following {}:{} with MASTER_USE_GTID = {} (gtid_current_pos '{}', gtid_slave_pos '{}')",
                        source.host(), source.port(), use, current, slave);
                changeMaster(s, source, use);
                s.execute("START SLAVE");
                return use;
            }
        });
        awaitRunning(CONNECT_WAIT);
        log.info("Attached as a replica of {}:{} ({})", source.host(), source.port(), mode);
    }

    @Override
    public ObjectNode detachReplica(boolean forFailover) {
        String user = query(c -> {
            try (Statement s = c.createStatement()) {
                noBinlog(s);
                String masterUser = null;
                try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                    if (rs.next()) {
                        masterUser = rs.getString("Master_User");
                    }
                }
                s.execute("STOP SLAVE");
                s.execute("RESET SLAVE ALL");
                if (!forFailover && masterUser != null && REPLICATION_USER.matcher(masterUser).matches()) {
                    // Trove drops it; made on the source without the binary log, it is usually not here
                    s.execute("DROP USER IF EXISTS " + MySqlAdmin.literal(masterUser) + "@'%'");
                }
                if (!forFailover) {
                    s.execute("SET GLOBAL read_only = OFF");
                }
                return masterUser;
            }
        });
        if (!forFailover) {
            // a replica detached for good is a database of its own: writable, also after a restart
            files.writeReplication(false);
        }
        log.info("Detached from the source{}", forFailover ? " (failover: still read-only)" : "; now writable");
        ObjectNode info = PythonJson.object();
        if (user == null) {
            info.putNull("replication_user");
        } else {
            info.put("replication_user", user);
        }
        return info;
    }

    /**
     * {@code read_only} at runtime and in the replication layer. Setting it waits for the writes under way to
     * commit, and refuses users' writes from then on: after it an old source's last transaction is final.
     */
    @Override
    public void makeReadOnly(boolean readOnly) {
        files.writeReplication(readOnly);
        execute(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET GLOBAL read_only = " + (readOnly ? "ON" : "OFF"));
            }
            return null;
        });
        log.info("Read-only {}", readOnly ? "on" : "off");
    }

    /** The old source, attached to the new one: what remains is to be read-only for good and to replicate. */
    @Override
    public void demoteSource() {
        files.writeReplication(true);
        execute(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET GLOBAL read_only = ON");
            }
            return null;
        });
        if (!following()) {
            throw new GuestError("Cannot demote: this instance does not follow a source (attach_replica first)");
        }
        awaitRunning(CONNECT_WAIT);
        log.info("Demoted: now a read-only replica");
    }

    /** A replica: what it has replayed ({@code gtid_slave_pos}); a source: what it has logged. */
    @Override
    public String latestTxnId() {
        return query(c -> {
            try (Statement s = c.createStatement()) {
                return single(s, following(s) ? "SELECT @@GLOBAL.gtid_slave_pos" : "SELECT @@GLOBAL.gtid_binlog_pos");
            }
        });
    }

    /**
     * {@code [Master_Server_Id or null, sequence number]}: the source's server id as this replica last saw it, and
     * the sequence number of this server's GTID domain in {@code gtid_slave_pos} (0 when none). Within one domain
     * sequence numbers grow across servers (a promoted replica goes on from its source's), so among replicas of
     * one source the highest number is the most advanced.
     */
    @Override
    public ArrayNode lastTxn() {
        return query(c -> {
            try (Statement s = c.createStatement()) {
                Long masterId = null;
                try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                    if (rs.next() && rs.getLong("Master_Server_Id") != 0) {
                        masterId = rs.getLong("Master_Server_Id");
                    }
                }
                long domain = Long.parseLong(single(s, "SELECT @@GLOBAL.gtid_domain_id"));
                Gtid last = Gtids.parse(single(s, "SELECT @@GLOBAL.gtid_slave_pos")).get(domain);
                ArrayNode txn = PythonJson.array();
                if (masterId == null) {
                    txn.addNull();
                } else {
                    txn.add(masterId);
                }
                txn.add(last == null ? 0 : last.seq());
                return txn;
            }
        });
    }

    @Override
    public void waitForTxn(String txn, Duration timeout) {
        String position = txn == null ? "" : txn.strip();
        if (!GTID_LIST.matcher(position).matches()) {
            throw new GuestError("Not a MariaDB GTID position: '" + txn + "'");
        }
        int result = query(c -> {
            c.setNetworkTimeout(Runnable::run, (int) timeout.plusSeconds(30).toMillis());
            try (PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
                ps.setString(1, position);
                ps.setLong(2, Math.max(1, timeout.toSeconds()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        if (result != 0) {
            throw new GuestError("Transaction " + position + " was not replayed within " + timeout.toSeconds()
                    + " s");
        }
        log.info("Transaction {} replayed", position);
    }

    @Override
    public boolean following() {
        return query(c -> {
            try (Statement s = c.createStatement()) {
                return following(s);
            }
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static boolean following(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next();
        }
    }

    /** CHANGE MASTER to {@code source}; the statement carries the password: it is never logged. */
    private static void changeMaster(Statement s, Source source, String useGtid) throws SQLException {
        s.execute("CHANGE MASTER TO MASTER_HOST = " + MySqlAdmin.literal(source.host())
                + ", MASTER_PORT = " + source.port()
                + ", MASTER_USER = " + MySqlAdmin.literal(source.user())
                + ", MASTER_PASSWORD = " + MySqlAdmin.literal(source.password())
                + ", MASTER_CONNECT_RETRY = 10, MASTER_SSL = 0, MASTER_USE_GTID = " + useGtid);
    }

    /**
     * Waits until both replication threads run; fails with the server's reason as soon as one stopped on an
     * error, or after {@code timeout} with the IO thread's last error (a source it cannot reach or log in to).
     */
    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SlaveState state = query(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new SlaveState(rs.getString("Slave_IO_Running"), rs.getString("Slave_SQL_Running"),
                            rs.getInt("Last_IO_Errno"), rs.getString("Last_IO_Error"), rs.getInt("Last_SQL_Errno"),
                            rs.getString("Last_SQL_Error"));
                }
            });
            if (state == null) {
                throw new GuestError("Replication is not configured (SHOW SLAVE STATUS is empty)");
            }
            if ("Yes".equals(state.io()) && "Yes".equals(state.sql())) {
                return;
            }
            if ("No".equals(state.sql()) && state.sqlErrno() != 0) {
                throw new GuestError("Replication stopped: " + state.sqlError());
            }
            // refused by the source (ER_ACCESS_DENIED_ERROR): retrying will not help
            if (("No".equals(state.io()) || state.ioErrno() == 1045) && state.ioErrno() != 0) {
                throw new GuestError("Replication stopped: " + state.ioError());
            }
            if (System.nanoTime() > deadline) {
                throw new GuestError("Replication did not start within " + timeout.toSeconds() + " s (IO thread "
                        + state.io() + ", SQL thread " + state.sql() + ")" + (state.ioErrno() != 0
                        ? ": " + state.ioError() : state.sqlErrno() != 0 ? ": " + state.sqlError() : ""));
            }
            Pause.sleep(200);
        }
    }

    private record SlaveState(String io, String sql, int ioErrno, String ioError, int sqlErrno, String sqlError) {
    }

    /** The GTID position of the restored backup, as mariabackup wrote it (file, offset, GTID position). */
    private String backupPosition() {
        for (String name : BINLOG_INFO) {
            Path file = settings.datadir().resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    String[] fields = Files.readString(file).strip().split("\t");
                    String gtid = fields.length >= 3 ? fields[2].strip() : "";
                    if (!GTID_LIST.matcher(gtid).matches()) {
                        throw new GuestError("The backup's binlog position in " + name + " is not a GTID position: '"
                                + gtid + "'");
                    }
                    log.info("The backup's GTID position ({}): '{}'", name, gtid);
                    return gtid;
                } catch (IOException e) {
                    throw new GuestError("Cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        }
        throw new GuestError("The restored backup has no binlog position (" + String.join(" or ", BINLOG_INFO)
                + "): its source did not run with the binary log");
    }

    /**
     * The address replicas reach this server at: the one it listens on, or, listening on every address, the one
     * this machine reaches other machines from (Trove's guest sends its IPv4 address).
     */
    private String advertisedHost() {
        String first = settings.bindHost().split(",")[0].strip();
        if (!first.isEmpty() && !first.equals("*") && !first.equals("0.0.0.0") && !first.equals("::")) {
            return first;
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            // no packet is sent: connecting a UDP socket only picks the route and so the local address
            socket.connect(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 9));
            InetAddress local = socket.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local.getHostAddress();
            }
        } catch (IOException e) {
            log.debug("No route to pick this machine's address: {}", e.getMessage());
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            return settings.connectHost();
        }
    }

    private static void noBinlog(Statement s) throws SQLException {
        s.execute("SET SESSION sql_log_bin = 0");
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            String value = rs.getString(1);
            return value == null ? "" : value;
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        StringBuilder out = new StringBuilder();
        for (byte x : b) {
            out.append(String.format("%02x", x));
        }
        return out.toString();
    }

    private static String password(int length) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(Work<T> work) {
        try (Connection c = admin.connect()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new GuestError("Replication: " + e.getMessage(), e);
        }
    }

    private void execute(Work<Void> work) {
        query(work);
    }

    /** The source in a snapshot or replica context ({@code master}, {@code replica_conf.replication_user}). */
    record Source(String host, int port, String user, String password) {

        static Source of(JsonNode context) {
            JsonNode master = context.path("master");
            JsonNode user = context.path("replica_conf").path("replication_user");
            if (!master.path("host").isTextual() || master.path("host").asText().isBlank()) {
                throw new GuestError("The replica context names no source host (master.host)");
            }
            if (!master.path("port").canConvertToInt() && !master.path("port").asText().matches("\\d{1,5}")) {
                throw new GuestError("The replica context names no source port (master.port)");
            }
            if (!user.path("name").isTextual() || !user.path("password").isTextual()) {
                throw new GuestError("The replica context has no replication user (replica_conf.replication_user)");
            }
            int port = master.path("port").isNumber() ? master.path("port").asInt()
                    : Integer.parseInt(master.path("port").asText());
            return new Source(master.path("host").asText(), port, user.path("name").asText(),
                    user.path("password").asText());
        }

        /** Never the password: a record's own toString would print it. */
        @Override
        public String toString() {
            return host + ":" + port + " as " + user;
        }
    }

    /** A GTID: domain, server, sequence number. */
    record Gtid(long domain, long server, long seq) {
    }

    /** A GTID position ({@code 0-1-57,1-2-3}) by domain. */
    static final class Gtids {
        private Gtids() {
        }

        static Map<Long, Gtid> parse(String position) {
            Map<Long, Gtid> byDomain = new LinkedHashMap<>();
            if (position == null || position.isBlank()) {
                return byDomain;
            }
            for (String part : position.split(",")) {
                String[] f = part.strip().split("-");
                if (f.length != 3) {
                    throw new GuestError("Not a GTID: '" + part + "'");
                }
                Gtid gtid = new Gtid(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
                byDomain.put(gtid.domain(), gtid);
            }
            return byDomain;
        }
    }
}
