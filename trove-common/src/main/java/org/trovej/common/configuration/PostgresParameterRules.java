package org.trovej.common.configuration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL's parameters as rules, from what the server itself reports: {@code pg_settings} of a running server,
 * or {@code postgres --describe-config} of a binary (no server needed).
 * <ul>
 *   <li>context {@code internal}: left out (read-only, fixed when the server was built or initialised);</li>
 *   <li>context {@code postmaster}: {@code restart_required}; every other context: applied by a reload or per
 *   session, not;</li>
 *   <li>vartype {@code bool} → boolean; {@code integer} → integer and {@code real} → float, with their bounds
 *   (in the parameter's own unit, as the server reports them: {@code work_mem} in kB); {@code string} →
 *   string; {@code enum} → string with its allowed values;</li>
 *   <li>names with a dot (an extension's, or a placeholder) are not the engine's: left out;</li>
 *   <li>and {@link #EXCLUSIONS}: what a tenant must not set.</li>
 * </ul>
 * {@code --describe-config} lists neither enum values nor the parameters marked "not in the sample file"
 * (developer options, some session state): its enums come out as free strings and those parameters are missing;
 * and it knows the defaults of strings only (what it prints for the others is not yet initialised).
 */
public final class PostgresParameterRules {

    /**
     * One row of {@code pg_settings} (the columns that matter here).
     *
     * @param vartype  {@code bool}, {@code integer}, {@code real}, {@code string} or {@code enum}
     * @param enumVals the allowed values of an enum (null otherwise, and from {@code --describe-config})
     */
    public record Setting(String name, String vartype, String context, String minVal, String maxVal,
                          List<String> enumVals, String bootVal) {
    }

    /** What a tenant must not set through a configuration group, besides the read-only ({@code internal}) ones. */
    public static final List<ParameterExclusion> EXCLUSIONS = List.of(
            // where things are: the guest agent decides (PostgresConfigFiles.AGENT_OWNED)
            new ParameterExclusion("data_directory", "file location: the guest agent places the data directory"),
            new ParameterExclusion("config_file", "file location: the guest agent writes the configuration files"),
            new ParameterExclusion("hba_file", "file location: the guest agent writes pg_hba.conf"),
            new ParameterExclusion("ident_file", "file location: the guest agent writes pg_ident.conf"),
            new ParameterExclusion("external_pid_file", "file location: the pid file is where the agent looks"),
            new ParameterExclusion("stats_temp_directory", "directory location (PostgreSQL 14 and older)"),
            // how the server is reached
            new ParameterExclusion("listen_addresses", "network: the instance's address is the agent's"),
            new ParameterExclusion("port", "network: clients and the agent connect to the port Trove publishes"),
            new ParameterExclusion("unix_socket_*", "socket directory, group and mode: the agent connects there"),
            new ParameterExclusion("bonjour*", "network service advertisement on the host"),
            // TLS and authentication
            new ParameterExclusion("ssl", "TLS: certificates and keys are not the tenant's to place"),
            new ParameterExclusion("ssl_*", "TLS internals: certificate, key and CRL files, ciphers, protocols"),
            new ParameterExclusion("krb_*", "Kerberos: a key file on the host, and how user names are matched"),
            new ParameterExclusion("password_encryption",
                    "the agent sets scram-sha-256, which pg_hba.conf requires; md5 hashes would lock users out"),
            new ParameterExclusion("db_user_namespace", "changes what user names mean to authentication"),
            // code loaded into the server
            new ParameterExclusion("shared_preload_libraries", "library loading: host files, and a missing one "
                    + "stops the server from starting"),
            new ParameterExclusion("local_preload_libraries", "library loading at every connection"),
            new ParameterExclusion("session_preload_libraries", "library loading at every connection"),
            new ParameterExclusion("dynamic_library_path", "library loading: where on the host code is loaded from"),
            new ParameterExclusion("jit_provider", "library loading: the JIT library loaded"),
            // WAL archiving, recovery and replication: backups, restores and replicas depend on them
            new ParameterExclusion("wal_level", "backups and replicas need WAL at replica level or above"),
            new ParameterExclusion("archive_*", "WAL archiving is the agent's: incremental backups are the "
                    + "archived WAL"),
            new ParameterExclusion("restore_command", "recovery of a restored backup: the agent's"),
            new ParameterExclusion("recovery_*", "recovery of a restored backup: the agent's"),
            new ParameterExclusion("primary_conninfo", "replication: the replica's source is Trove's to set"),
            new ParameterExclusion("primary_slot_name", "replication: the replica's slot is Trove's to set"),
            new ParameterExclusion("promote_trigger_file", "replication: a file location that promotes a replica"),
            new ParameterExclusion("hot_standby", "replication and restores: the agent turns it off during a "
                    + "restore's recovery"),
            new ParameterExclusion("max_wal_senders", "backups (pg_basebackup) and replicas need WAL senders"),
            new ParameterExclusion("max_replication_slots", "replication slots of backups and replicas"),
            new ParameterExclusion("synchronous_standby_names", "replication: which replicas a commit waits for; "
                    + "a name that never connects blocks every commit"),
            new ParameterExclusion("full_page_writes", "crash safety: off leaves torn pages that neither "
                    + "recovery nor a backup's WAL can repair"),
            // logs: the agent and the operator find them where the server was told to put them
            new ParameterExclusion("logging_collector", "log files: where the server's log goes is the host's"),
            new ParameterExclusion("log_directory", "log files: a location on the host"),
            new ParameterExclusion("log_filename", "log files: names on the host"),
            new ParameterExclusion("log_destination", "log files: where the server's log goes is the host's"),
            new ParameterExclusion("log_file_mode", "log files: their permissions on the host"),
            new ParameterExclusion("syslog_*", "log destination: the host's syslog"),
            new ParameterExclusion("event_source", "log destination: the Windows event log"),
            // locales: names that must exist on the host; a missing one stops the server
            new ParameterExclusion("lc_*", "locale names: they must be installed on the host, or the server "
                    + "does not start"),
            // the agent's
            new ParameterExclusion("cluster_name", "the agent names the instance in the process titles with it"),
            // the host's memory
            new ParameterExclusion("huge_pages", "host memory: on stops the server where the host has none"),
            new ParameterExclusion("huge_page_size", "host memory: must be a size the host's kernel offers"),
            new ParameterExclusion("shared_memory_type", "host memory: a kind of shared memory the host allows"),
            new ParameterExclusion("dynamic_shared_memory_type", "host memory: a kind the host allows"),
            // developer options that corrupt data or hide corruption
            new ParameterExclusion("allow_system_table_mods", "developer option: lets the catalogs be broken"),
            new ParameterExclusion("ignore_system_indexes", "developer option: for repairing catalogs"),
            new ParameterExclusion("zero_damaged_pages", "developer option: destroys damaged data silently"),
            new ParameterExclusion("ignore_checksum_failure", "developer option: hides corruption"),
            new ParameterExclusion("ignore_invalid_pages", "developer option: hides corruption during recovery"));

    private PostgresParameterRules() {
    }

    /** The rules of the parameters a tenant may set, by name. */
    public static List<ParameterRule> fromSettings(List<Setting> rows) {
        return map(rows).rules();
    }

    /** The rules, and what is left out and why. */
    public static MappedParameters map(List<Setting> rows) {
        List<ParameterRule> rules = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        for (Setting row : rows) {
            String name = row.name().toLowerCase(Locale.ROOT);
            Optional<String> why = exclusion(name, row.context());
            if (why.isPresent()) {
                excluded.put(name, why.get());
            } else {
                rules.add(rule(name, row));
            }
        }
        return new MappedParameters(rules, excluded);
    }

    /** Why a parameter is left out, if it is. */
    public static Optional<String> exclusion(String name, String context) {
        if ("internal".equals(context)) {
            return Optional.of("read-only (context internal)");
        }
        if (name.contains(".")) {
            return Optional.of("not the engine's: an extension's parameter or a placeholder");
        }
        return ParameterExclusion.first(EXCLUSIONS, name).map(ParameterExclusion::reason);
    }

    private static ParameterRule rule(String name, Setting row) {
        boolean restart = "postmaster".equals(row.context());
        String type = row.vartype().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "bool", "boolean" -> new ParameterRule(name, ParameterRule.BOOLEAN, null, null, restart, null,
                    bool(row.bootVal()));
            case "integer" -> new ParameterRule(name, ParameterRule.INTEGER, row.minVal(), row.maxVal(), restart,
                    null, row.bootVal());
            case "real" -> new ParameterRule(name, ParameterRule.FLOAT, row.minVal(), row.maxVal(), restart, null,
                    row.bootVal());
            case "string" -> new ParameterRule(name, ParameterRule.STRING, null, null, restart, null,
                    row.bootVal() == null ? "" : row.bootVal());
            case "enum" -> new ParameterRule(name, ParameterRule.STRING, null, null, restart,
                    row.enumVals() == null || row.enumVals().isEmpty() ? null : row.enumVals(), row.bootVal());
            default -> throw new IllegalArgumentException("PostgreSQL parameter " + name + " has vartype '"
                    + row.vartype() + "', not bool, integer, real, string or enum");
        };
    }

    /** {@code on}/{@code off}, as pg_settings writes booleans ({@code --describe-config} writes TRUE/FALSE). */
    private static String bool(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "on" -> "on";
            case "false", "off" -> "off";
            default -> value;
        };
    }

    /**
     * The rows of {@code postgres --describe-config}: one parameter a line, tab-separated: name, context, group,
     * type ({@code BOOLEAN}, {@code INTEGER}, {@code REAL}, {@code STRING}, {@code ENUM}), default, minimum,
     * maximum, short description, long description. No enum values; the defaults of strings only.
     */
    public static List<Setting> parseDescribeConfig(String output) {
        List<Setting> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = Arrays.copyOf(line.split("\t", -1), 7);
            if (f[1] == null || f[3] == null) {
                throw new IllegalArgumentException("not a line of postgres --describe-config: " + line);
            }
            String type = switch (f[3]) {
                case "BOOLEAN" -> "bool";
                case "INTEGER" -> "integer";
                case "REAL" -> "real";
                case "STRING" -> "string";
                case "ENUM" -> "enum";
                default -> throw new IllegalArgumentException("unknown type '" + f[3] + "' in: " + line);
            };
            boolean numeric = type.equals("integer") || type.equals("real");
            // the default column is the reset value, which a binary that runs no server has not set yet (0, FALSE,
            // an enum's first value): only a string's, its boot value, is the real default
            String bootVal = type.equals("string") ? (f[4] == null ? "" : f[4]) : null;
            rows.add(new Setting(f[0], type, f[1], numeric ? emptyToNull(f[5]) : null,
                    numeric ? emptyToNull(f[6]) : null, null, bootVal));
        }
        return rows;
    }

    /** The rules of a binary's {@code --describe-config} output. */
    public static MappedParameters fromDescribeConfig(String output) {
        return map(parseDescribeConfig(output));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
