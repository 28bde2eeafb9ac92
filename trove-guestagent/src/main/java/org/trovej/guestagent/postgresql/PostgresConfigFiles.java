package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.EngineConfiguration;
import org.trovej.guestagent.os.OsUser;

/**
 * The server's configuration inside PGDATA, in layers (PostgreSQL keeps the last value it reads):
 * <ol>
 *   <li>{@code postgresql.conf} as initdb wrote it (locale defaults), plus our two include lines;</li>
 *   <li>{@code trove.conf}: the control plane's rendered configuration ({@code config_contents}), with the
 *   settings the agent owns commented out;</li>
 *   <li>{@code conf.d/50-memory.conf}: memory settings sized from {@code memory_mb};</li>
 *   <li>{@code conf.d/60-overrides.conf}: a configuration group's values ({@code overrides});</li>
 *   <li>{@code conf.d/90-system.conf}: what the agent must control (addresses, port, socket, password
 *   hashing, WAL archiving into {@link WalArchive}), last so that nothing above can move the server away from
 *   where the agent looks for it;</li>
 *   <li>{@code conf.d/95-recovery.conf}: only while a restored incremental chain awaits its archive recovery
 *   (with {@code recovery.signal}); removed once the server has come up from it.</li>
 * </ol>
 * {@code pg_hba.conf} is replaced: passwords (SCRAM) from anywhere, and the agent's {@code os_admin} only
 * from this machine.
 */
final class PostgresConfigFiles implements EngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PostgresConfigFiles.class);

    static final String ADMIN_ROLE = org.trovej.guestagent.datastore.AdminCredentials.ADMIN_USER;
    private static final String USER_HOSTS = "trove_user_hosts.conf";
    private static final String INCLUDE_MARKER = "# --- TroveJ guest agent ---";
    private static final String FILE_MODE = "rw-------";

    /**
     * Settings the agent decides: where the data, the config files and the sockets are, how the server is
     * reached, and archiving, whose commands in Trove's template point at paths of Trove's container image.
     */
    static final Set<String> AGENT_OWNED = Set.of(
            "data_directory", "config_file", "hba_file", "ident_file", "external_pid_file",
            "listen_addresses", "port", "unix_socket_directories", "unix_socket_group", "unix_socket_permissions",
            "include", "include_dir", "include_if_exists", "password_encryption", "cluster_name",
            "archive_mode", "archive_command", "archive_library", "restore_command", "archive_cleanup_command",
            "recovery_end_command", "recovery_target", "recovery_target_name", "recovery_target_time",
            "recovery_target_xid", "recovery_target_lsn", "recovery_target_inclusive", "recovery_target_timeline",
            "recovery_target_action",
            // replication: where a standby streams from, and what pg_rewind needs (see PostgresReplication)
            "primary_conninfo", "primary_slot_name", "wal_log_hints");

    static final String RECOVERY_SIGNAL = "recovery.signal";
    private static final String RECOVERY_SETTINGS = "95-recovery.conf";
    static final String STANDBY_SIGNAL = "standby.signal";
    private static final String STANDBY_SETTINGS = "91-standby.conf";
    private static final String READ_ONLY_SETTINGS = "92-read-only.conf";

    private static final Pattern SETTING = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*(=|\\s)");

    private final PostgresSettings settings;
    private final String clusterName;
    private final WalArchive archive;

    PostgresConfigFiles(PostgresSettings settings, String clusterName) {
        this.settings = settings;
        this.clusterName = clusterName;
        this.archive = WalArchive.of(settings);
    }

    private Path pgData() {
        return settings.pgData();
    }

    /** Appends the include lines to initdb's postgresql.conf, once. */
    @Override
    public void ensureLayout() {
        Path main = pgData().resolve("postgresql.conf");
        OsUser.ensureDirectory(pgData().resolve("conf.d"), settings.runAs(), "rwx------");
        try {
            String content = Files.readString(main);
            if (content.contains(INCLUDE_MARKER)) {
                return;
            }
            Files.writeString(main, content + "\n" + INCLUDE_MARKER + "\n"
                    + "# Later files override earlier settings; conf.d/90-system.conf is the agent's and wins.\n"
                    + "include_if_exists = 'trove.conf'\n"
                    + "include_dir = 'conf.d'\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + main, e);
        }
    }

    /** The control plane's configuration, or none (then initdb's defaults plus our memory settings apply). */
    @Override
    public void writeConfigContents(String configContents) {
        Path file = pgData().resolve("trove.conf");
        if (configContents == null) {
            delete(file);
            return;
        }
        write(file, "# config_contents from the control plane; settings the guest agent owns are commented out\n"
                + sanitize(configContents));
    }

    @Override
    public void writeMemory(int memoryMb) {
        StringBuilder text = new StringBuilder("# Sized by the guest agent for " + memoryMb + " MB of RAM\n");
        PostgresTuning.forMemory(memoryMb).forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        write(pgData().resolve("conf.d").resolve("50-memory.conf"), text.toString());
    }

    @Override
    public void removeMemory() {
        delete(pgData().resolve("conf.d").resolve("50-memory.conf"));
    }

    /** A configuration group's values; settings the agent owns, and values spanning lines, are skipped. */
    @Override
    public void writeOverrides(ObjectNode overrides) {
        Path file = overridesFile();
        if (overrides == null || overrides.isEmpty()) {
            delete(file);
            return;
        }
        StringBuilder text = new StringBuilder("# Configuration group values (overrides)\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (AGENT_OWNED.contains(key) || !key.matches("[a-z_][a-z0-9_.]*")) {
                log.warn("Override '{}' ignored: the guest agent sets it", e.getKey());
                continue;
            }
            String value = value(e.getValue());
            if (value.contains("\n") || value.contains("\r")) {
                // a quoted value cannot span lines: the server would not start
                log.warn("Override '{}' ignored: a value may not span lines", key);
                continue;
            }
            text.append(key).append(" = ").append(value).append('\n');
        }
        write(file, text.toString());
    }

    /** The layer with a configuration group's values (the server reads every *.conf of conf.d, in name order). */
    @Override
    public Path overridesFile() {
        return pgData().resolve("conf.d").resolve("60-overrides.conf");
    }

    @Override
    public void restoreOverrides(String previous) {
        if (previous == null) {
            delete(overridesFile());
        } else {
            write(overridesFile(), previous);
        }
    }

    void writeSystem() {
        String text = "# Owned by the guest agent: rewritten at every prepare and start\n"
                + "listen_addresses = " + quote(settings.bindHost()) + "\n"
                + "port = " + settings.port() + "\n"
                + "unix_socket_directories = " + quote(settings.socketDir().toString()) + "\n"
                + "password_encryption = 'scram-sha-256'\n"
                // pg_rewind turns an old replication source into a replica of the new one: it needs this
                // (or data checksums) in effect while the old source ran
                + "wal_log_hints = on\n"
                // names the instance in the server's process titles: "postgres: <guest id>: checkpointer"
                + "cluster_name = " + quote(clusterName) + "\n"
                // always on, as in Trove: an incremental backup is the WAL archived since its parent
                + "archive_mode = on\n"
                + "archive_command = " + quote(archive.archiveCommand()) + "\n";
        write(pgData().resolve("conf.d").resolve("90-system.conf"), text);
    }

    /**
     * Sets up the archive recovery of a restored incremental chain: {@code restore_command}, and when
     * {@code restorePoint} is not null that point as the target, reached then promoted.
     */
    private static final java.time.format.DateTimeFormatter RECOVERY_TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(java.time.ZoneOffset.UTC);

    void writeRecoverySettings(String restoreCommand, String restorePoint, Instant restoreTime) {
        StringBuilder text = new StringBuilder("# The archive recovery of a restored incremental backup or point in "
                + "time (removed by the guest agent once the server is up)\n")
                .append("restore_command = ").append(quote(restoreCommand)).append('\n')
                .append("recovery_target_timeline = 'latest'\n")
                // nobody reads a half-replayed database, and the pid file says "ready" only once it is promoted
                // (with hot standby it says so as soon as read-only connections are open)
                .append("hot_standby = off\n");
        if (restorePoint != null) {
            text.append("recovery_target_name = ").append(quote(restorePoint)).append('\n')
                    .append("recovery_target_action = 'promote'\n");
        } else if (restoreTime != null) {
            // microseconds, PostgreSQL's precision: it refuses an ISO instant with nanoseconds
            text.append("recovery_target_time = ").append(quote(RECOVERY_TIME.format(restoreTime))).append('\n')
                    .append("recovery_target_action = 'promote'\n");
        }
        write(pgData().resolve("conf.d").resolve(RECOVERY_SETTINGS), text.toString());
        write(pgData().resolve(RECOVERY_SIGNAL), "");
    }

    /** Whether a restored chain's archive recovery is still ahead (the server removes the signal at its end). */
    boolean recoveryPending() {
        return Files.exists(pgData().resolve(RECOVERY_SIGNAL));
    }

    /** After the recovery (or for a restore that needs none): its settings go, so later starts are plain ones. */
    void removeRecoverySettings() {
        delete(pgData().resolve("conf.d").resolve(RECOVERY_SETTINGS));
        delete(pgData().resolve(RECOVERY_SIGNAL));
    }

    void writeHba() {
        writeHba(false);
    }

    /**
     * Makes this cluster a hot standby streaming from {@code primaryConninfo} (with no password in it: a
     * {@code passfile}) through {@code slot}, and with {@code restoreCommand} (not null) reading the WAL a restored
     * incremental chain put into the archive first. Takes effect at the next start; the connection and the slot at
     * a reload (PostgreSQL 13+).
     */
    void writeStandby(String primaryConninfo, String slot, String restoreCommand) {
        StringBuilder text = new StringBuilder("# Replication: this instance is a hot standby (written by the guest "
                + "agent; removed when it is promoted)\n")
                .append("primary_conninfo = ").append(quote(primaryConninfo)).append('\n')
                .append("primary_slot_name = ").append(quote(slot)).append('\n')
                .append("hot_standby = on\n")
                .append("recovery_target_timeline = 'latest'\n");
        if (restoreCommand != null) {
            text.append("restore_command = ").append(quote(restoreCommand)).append('\n');
        }
        write(pgData().resolve("conf.d").resolve(STANDBY_SETTINGS), text.toString());
        write(pgData().resolve(STANDBY_SIGNAL), "");
    }

    /** Whether this cluster starts as a standby (the server removes the signal when it is promoted). */
    boolean standbyConfigured() {
        return Files.exists(pgData().resolve(STANDBY_SIGNAL));
    }

    /** After a promote: a later start must not make it a standby again. */
    void removeStandby() {
        delete(pgData().resolve("conf.d").resolve(STANDBY_SETTINGS));
        delete(pgData().resolve(STANDBY_SIGNAL));
    }

    /**
     * {@code make_read_only}: new transactions are read-only by default (a reload makes it effective; sessions that
     * explicitly ask for read-write transactions are not stopped by it: see PostgresReplication#makeReadOnly).
     */
    void writeReadOnly(boolean readOnly) {
        Path file = pgData().resolve("conf.d").resolve(READ_ONLY_SETTINGS);
        if (readOnly) {
            write(file, "# make_read_only(true): before a promote, users' transactions are read-only by default\n"
                    + "default_transaction_read_only = on\n");
        } else {
            delete(file);
        }
    }

    /**
     * The configuration files that are this instance's own (not its data): pg_rewind replaces PGDATA's files with
     * the new source's, and these are put back after it. Name relative to PGDATA → content.
     */
    Map<String, String> ownConfiguration() {
        Map<String, String> saved = new TreeMap<>();
        try {
            for (String name : new String[] {"postgresql.conf", "trove.conf", "pg_ident.conf"}) {
                Path file = pgData().resolve(name);
                if (Files.isRegularFile(file)) {
                    saved.put(name, Files.readString(file));
                }
            }
            Path confD = pgData().resolve("conf.d");
            if (Files.isDirectory(confD)) {
                try (java.util.stream.Stream<Path> layers = Files.list(confD)) {
                    for (Path layer : layers.filter(Files::isRegularFile).toList()) {
                        saved.put("conf.d/" + layer.getFileName(), Files.readString(layer));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration in " + pgData(), e);
        }
        return saved;
    }

    /** Puts back {@link #ownConfiguration()}: conf.d is exactly what it was. */
    void restoreOwnConfiguration(Map<String, String> saved) {
        Path confD = pgData().resolve("conf.d");
        OsUser.ensureDirectory(confD, settings.runAs(), "rwx------");
        try (java.util.stream.Stream<Path> layers = Files.list(confD)) {
            for (Path layer : layers.toList()) {
                if (!saved.containsKey("conf.d/" + layer.getFileName())) {
                    Files.deleteIfExists(layer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + confD, e);
        }
        saved.forEach((name, content) -> write(pgData().resolve(name), content));
    }

    /**
     * @param bootstrap true: also let the OS user {@code run_as} in as {@code postgres} over the Unix socket
     *                  ({@code peer}, mapped in pg_ident.conf), for the agent to create its role after the first
     *                  start; the agent writes the file again without that line right after
     */
    void writeHba(boolean bootstrap) {
        writeHba(bootstrap, readUserHosts());
    }

    /** The users restricted to a host (Trove's user@host), kept beside pg_hba.conf: name → host. */
    SortedMap<String, String> readUserHosts() {
        SortedMap<String, String> hosts = new TreeMap<>();
        Path file = pgData().resolve(USER_HOSTS);
        if (!Files.isRegularFile(file)) {
            return hosts;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int tab = line.indexOf('\t');
                if (!line.startsWith("#") && tab > 0) {
                    hosts.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return hosts;
    }

    /** Records the users' hosts and rewrites pg_hba.conf with their rules (a reload makes them effective). */
    void writeUserHosts(Map<String, String> hosts) {
        StringBuilder text = new StringBuilder("# Written by the TroveJ guest agent: user<TAB>host\n");
        hosts.forEach((user, host) -> text.append(user).append('\t').append(host).append('\n'));
        write(pgData().resolve(USER_HOSTS), text.toString());
        writeHba(false, new TreeMap<>(hosts));
    }

    private void writeHba(boolean bootstrap, SortedMap<String, String> userHosts) {
        StringBuilder userRules = new StringBuilder();
        userHosts.forEach((user, host) -> {
            String address = PostgresHostRules.address(host);
            if (address != null) {
                String quoted = PostgresHostRules.user(user);
                userRules.append("host    all       ").append(quoted).append("  ").append(address)
                        .append("  scram-sha-256\n")
                        .append("host    all       ").append(quoted).append("  all  reject\n");
            }
        });
        if (bootstrap) {
            write(pgData().resolve("pg_ident.conf"), """
                    # Written by the TroveJ guest agent: the database's OS user may be postgres (bootstrap only)
                    # MAPNAME       SYSTEM-USERNAME  PG-USERNAME
                    trove_agent     %s  postgres
                    """.formatted(settings.runAs()));
        }
        String text = """
                # Written by the TroveJ guest agent (rewritten at every prepare).
                # TYPE  DATABASE  USER      ADDRESS   METHOD
                """ + (bootstrap ? "local   all       postgres            peer map=trove_agent\n" : "") + """
                local   all       all                 scram-sha-256
                # the agent's own admin role: from this machine only (replication: pg_basebackup for backups)
                host    all       %1$s  samehost  scram-sha-256
                host    replication  %1$s  samehost  scram-sha-256
                host    all       %1$s  all       reject
                # replicas stream as the replication role, from wherever they are (their addresses are not known)
                host    replication  %3$s  all  scram-sha-256
                # users restricted to a host (Trove's user@host)
                %2$shost    all       all       all       scram-sha-256
                """.formatted(ADMIN_ROLE, userRules, PostgresReplicationRole.USER);
        write(pgData().resolve("pg_hba.conf"), text);
    }

    /** Comments out the lines that set what the agent owns, keeping the rest of the text as it is. */
    static String sanitize(String configContents) {
        StringBuilder out = new StringBuilder();
        for (String line : configContents.split("\n", -1)) {
            Matcher m = SETTING.matcher(line);
            if (m.find() && AGENT_OWNED.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                out.append("# (set by the guest agent) ").append(line).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String value(JsonNode node) {
        if (node.isBoolean()) {
            return node.asBoolean() ? "on" : "off";
        }
        if (node.isNumber()) {
            return node.asText();
        }
        return quote(node.asText());
    }

    private void write(Path file, String content) {
        OsUser.writeFile(file, content, settings.runAs(), FILE_MODE);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
