package org.trovej.guestagent.mysql;

import org.trovej.common.datastore.MySqlTuning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.EngineConfiguration;
import org.trovej.guestagent.os.OsUser;

/**
 * The server's option files on the volume, in layers (the server keeps the last value it reads). The server is
 * started with {@code --defaults-file=<data_dir>/my.cnf}, so none of the host's option files
 * ({@code /etc/mysql/...}) is read. {@code my.cnf} sets TroveJ's defaults (utf8mb4) and includes, in order:
 * <ol>
 *   <li>{@code conf.d/40-trove.cnf}: the control plane's rendered configuration ({@code config_contents}), with
 *   the settings the agent owns and any {@code !include} commented out;</li>
 *   <li>{@code conf.d/50-memory.cnf}: memory settings sized from {@code memory_mb};</li>
 *   <li>{@code conf.d/55-guest-log-threshold.cnf}: the slow query log's threshold while that guest log is on;</li>
 *   <li>{@code conf.d/60-overrides.cnf}: a configuration group's values ({@code overrides});</li>
 *   <li>{@code conf.d/65-guest-log.cnf}: the guest logs switched on ({@link MySqlLogs});</li>
 *   <li>{@code conf.d/80-replication.cnf}: the instance's replication role: {@code read_only = ON} on a replica (and
 *   on an old source made read-only before a promote), empty otherwise; so a restart keeps it;</li>
 *   <li>{@code conf.d/90-system.cnf}: what the agent must control (datadir, address, port, socket, pid file,
 *   error log and the guest logs' files, the OS user, no name resolution) and what replication and backups need on every
 *   instance (a {@code server_id} of its own, the binary log with GTIDs, {@code log_slave_updates} so a replica
 *   can become a source), last so nothing above can move it.</li>
 * </ol>
 * Every included file always exists (empty when it has nothing to say): an include of a missing file is an error.
 */
final class MySqlConfigFiles implements EngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MySqlConfigFiles.class);
    private static final String FILE_MODE = "rw-r-----";
    static final String TROVE = "40-trove.cnf";
    static final String MEMORY = "50-memory.cnf";
    static final String GUEST_LOG_THRESHOLD = "55-guest-log-threshold.cnf";
    static final String OVERRIDES = "60-overrides.cnf";
    static final String GUEST_LOG = "65-guest-log.cnf";
    static final String REPLICATION = "80-replication.cnf";
    static final String SYSTEM = "90-system.cnf";

    /**
     * Options the agent decides (in the normalised form: lower case, {@code _} for {@code -}): where the data,
     * sockets and logs are, how the server is reached and as whom it runs, what could bypass authentication or
     * log passwords, and what would load files from outside the volume.
     */
    static final Set<String> AGENT_OWNED = Set.of(
            "datadir", "basedir", "port", "bind_address", "socket", "pid_file", "log_error", "user",
            "skip_networking", "skip_grant_tables", "init_file", "plugin_dir", "general_log", "general_log_file",
            "slow_query_log_file", "log_slow_query_file",
            "log_output", "skip_name_resolve", "innodb_data_home_dir", "innodb_log_group_home_dir",
            "defaults_file", "defaults_extra_file", "secure_file_priv",
            // replication: every instance's binary log, its own server id, and read-only replicas
            "server_id", "log_bin", "log_bin_index", "log_slave_updates", "relay_log", "relay_log_index",
            "read_only");
    /** The included layers, in the order the server reads them. */
    private static final String[] LAYERS = {TROVE, MEMORY, GUEST_LOG_THRESHOLD, OVERRIDES, GUEST_LOG, REPLICATION,
            SYSTEM};
    /** The binary log's base name, in the datadir. */
    static final String BINLOG = "mariadb-bin";

    /** The option groups the server reads (for any version). */
    private static final Pattern SERVER_GROUP = Pattern.compile(
            "\\[(mysqld|server|mariadb|mariadbd|galera|client-server)(-[0-9.]+)?]", Pattern.CASE_INSENSITIVE);
    private static final Pattern OPTION = Pattern.compile("^\\s*(?:loose[-_])?([A-Za-z][A-Za-z0-9_-]*)\\s*(=|$)");

    private final MySqlSettings settings;
    private final long serverId;

    /** {@code serverId}: the instance's {@code server_id} ({@link #serverIdOf}). */
    MySqlConfigFiles(MySqlSettings settings, long serverId) {
        this.settings = settings;
        this.serverId = serverId;
    }

    /**
     * An instance's {@code server_id}, from its id (every instance has its own; a source and its replicas must
     * differ): the CRC-32 of the id, 1 to 2^32-1. Two instances of one replication set share one with a chance of
     * about one in 4 billion per pair.
     */
    static long serverIdOf(String instanceId) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update((instanceId == null ? "" : instanceId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long id = crc.getValue();
        return id == 0 ? 1 : id;
    }

    long serverId() {
        return serverId;
    }

    /** The main option file and every layer it includes (empty ones included). */
    @Override
    public void ensureLayout() {
        OsUser.ensureDirectory(settings.confDir(), settings.runAs(), "rwx------");
        for (String layer : LAYERS) {
            Path file = settings.confDir().resolve(layer);
            if (!Files.exists(file)) {
                write(file, "# (empty)\n");
            }
        }
        StringBuilder text = new StringBuilder("""
                # Written by the TroveJ guest agent. Later files override earlier settings;
                # conf.d/90-system.cnf is the agent's and wins.
                [mysqld]
                character-set-server = utf8mb4
                collation-server = utf8mb4_general_ci
                # row-based binary log (a configuration group may change it)
                binlog_format = ROW

                """);
        for (String layer : LAYERS) {
            text.append("!include ").append(settings.confDir().resolve(layer)).append('\n');
        }
        write(settings.configFile(), text.toString());
    }

    @Override
    public void writeConfigContents(String configContents) {
        write(settings.confDir().resolve(TROVE), configContents == null ? "# (empty)\n"
                : "# config_contents from the control plane; settings the guest agent owns are commented out\n"
                + sanitize(configContents));
    }

    @Override
    public void writeMemory(int memoryMb) {
        StringBuilder text = new StringBuilder("# Sized by the guest agent for " + memoryMb + " MB of RAM\n[mysqld]\n");
        MySqlTuning.forMemory(memoryMb).forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        write(settings.confDir().resolve(MEMORY), text.toString());
    }

    @Override
    public void removeMemory() {
        write(settings.confDir().resolve(MEMORY), "# (empty: the control plane's configuration sizes the server)\n");
    }

    /** A configuration group's values, in the server's section; settings the agent owns are skipped. */
    @Override
    public void writeOverrides(ObjectNode overrides) {
        if (overrides == null || overrides.isEmpty()) {
            write(settings.confDir().resolve(OVERRIDES), "# (empty)\n");
            return;
        }
        StringBuilder text = new StringBuilder("# Configuration group values (overrides)\n[mysqld]\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!key.matches("[A-Za-z][A-Za-z0-9_-]*") || AGENT_OWNED.contains(normalise(key))) {
                log.warn("Override '{}' ignored: the guest agent sets it", key);
                continue;
            }
            String value = value(e.getValue());
            if (value.contains("\n") || value.contains("\r")) {
                log.warn("Override '{}' ignored: a value may not span lines", key);
                continue;
            }
            text.append(key).append(" = ").append(value).append('\n');
        }
        write(settings.confDir().resolve(OVERRIDES), text.toString());
    }

    /** The layer with a configuration group's values; always there (my.cnf includes it), empty without a group. */
    @Override
    public Path overridesFile() {
        return settings.confDir().resolve(OVERRIDES);
    }

    @Override
    public void restoreOverrides(String previous) {
        write(overridesFile(), previous == null ? "# (empty)\n" : previous);
    }

    void writeSystem() {
        StringBuilder text = new StringBuilder("# Owned by the guest agent: rewritten at every prepare and start\n"
                + "[mysqld]\n"
                + "datadir = " + settings.datadir() + "\n"
                + "bind-address = " + settings.bindHost() + "\n"
                + "port = " + settings.port() + "\n"
                + "socket = " + settings.socket() + "\n"
                + "pid-file = " + settings.pidFile() + "\n"
                + "log-error = " + settings.logFile() + "\n"
                // the guest logs' files (switched on by 65-guest-log.cnf; the agent's own sessions never reach them)
                + "general_log_file = " + settings.generalLogFile() + "\n"
                + "slow_query_log_file = " + settings.slowQueryLogFile() + "\n"
                // accounts are matched on addresses only (user@127.0.0.1 means that address)
                + "skip-name-resolve\n"
                // replication and backups: the binary log (GTIDs are always on in MariaDB), this instance's own
                // server id, and the replicated transactions logged too so that a replica can become a source
                + "server_id = " + serverId + "\n"
                + "log_bin = " + BINLOG + "\n"
                + "log_bin_index = " + BINLOG + ".index\n"
                + "relay_log = mariadb-relay\n"
                + "relay_log_index = mariadb-relay.index\n"
                + "log_slave_updates = ON\n");
        if (OsUser.isRoot()) {
            text.append("user = ").append(settings.runAs()).append('\n');
        }
        write(settings.confDir().resolve(SYSTEM), text.toString());
    }

    /**
     * The guest logs' layers: the switches of those on, and the slow log's threshold ({@code longQueryTime} seconds,
     * null: none) before the group's layer.
     */
    void writeGuestLogs(boolean general, boolean slowQuery, Double longQueryTime) {
        OsUser.ensureDirectory(settings.confDir(), settings.runAs(), "rwx------");
        write(settings.confDir().resolve(GUEST_LOG), !general && !slowQuery ? "# (empty: no guest log on)\n"
                : "# Guest logs switched on (written by the guest agent)\n[mysqld]\n"
                        + (general ? "general_log = 1\n" : "") + (slowQuery ? "slow_query_log = 1\n" : ""));
        write(settings.confDir().resolve(GUEST_LOG_THRESHOLD), longQueryTime == null ? "# (empty)\n"
                : "# Guest log 'slow_query' threshold (a configuration group's long_query_time wins)\n[mysqld]\n"
                        + "long_query_time = " + longQueryTime + "\n");
    }

    /**
     * The replication layer: {@code readOnly} true keeps users' writes refused across restarts (a replica, an old
     * source); false empties it (the server's default: writable).
     */
    void writeReplication(boolean readOnly) {
        OsUser.ensureDirectory(settings.confDir(), settings.runAs(), "rwx------");
        write(settings.confDir().resolve(REPLICATION), readOnly
                ? "# Replication role, written by the guest agent: users' writes are refused\n[mysqld]\n"
                        + "read_only = ON\n"
                : "# (empty: not read-only)\n");
    }

    /**
     * Comments out {@code !include} lines and the options the agent owns, keeping the rest as it is; options of the
     * server's groups get the {@code loose-} prefix, so that one this server version does not know (a template
     * written for another version, e.g. {@code innodb_log_files_in_group}, gone since MariaDB 10.6) is a warning
     * in the error log instead of a server that refuses to start.
     */
    static String sanitize(String configContents) {
        StringBuilder out = new StringBuilder();
        boolean serverGroup = false;
        for (String line : configContents.split("\n", -1)) {
            String stripped = line.strip();
            Matcher m = OPTION.matcher(line);
            if (stripped.startsWith("!")) {
                out.append("# (not read: the guest agent decides which files are read) ").append(line).append('\n');
            } else if (stripped.startsWith("[")) {
                serverGroup = SERVER_GROUP.matcher(stripped).matches();
                out.append(line).append('\n');
            } else if (m.find() && AGENT_OWNED.contains(normalise(m.group(1)))) {
                out.append("# (set by the guest agent) ").append(line).append('\n');
            } else if (serverGroup && m.find(0) && !stripped.toLowerCase(Locale.ROOT).startsWith("loose")) {
                out.append("loose-").append(stripped).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    static String normalise(String option) {
        String key = option.toLowerCase(Locale.ROOT).replace('-', '_');
        return key.startsWith("loose_") ? key.substring("loose_".length()) : key;
    }

    private static String value(JsonNode node) {
        if (node.isBoolean()) {
            return node.asBoolean() ? "1" : "0";
        }
        return node.asText();
    }

    private void write(Path file, String content) {
        // readable by the server's user (it reads them), not by others
        OsUser.writeFile(file, content, settings.runAs(), FILE_MODE);
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
