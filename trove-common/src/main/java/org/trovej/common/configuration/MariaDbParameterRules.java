package org.trovej.common.configuration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MariaDB's parameters as rules, from {@code information_schema.SYSTEM_VARIABLES} of a running server (the
 * datastore managers {@code mariadb} and {@code mysql} both run MariaDB).
 * <ul>
 *   <li>scope {@code SESSION ONLY}: left out (no server-wide value to configure);</li>
 *   <li>without a command-line option: left out (a group's values live in the option file);
 *   {@code READ_ONLY = YES} with one: {@code restart_required} (set in the option file, read at start); every
 *   other: dynamic;</li>
 *   <li>{@code INT}, {@code INT UNSIGNED}, {@code BIGINT}, {@code BIGINT UNSIGNED} → integer with
 *   {@code NUMERIC_MIN_VALUE}/{@code NUMERIC_MAX_VALUE}; {@code DOUBLE} → float with them; {@code BOOLEAN} →
 *   boolean; {@code ENUM} → string with {@code ENUM_VALUE_LIST} as its allowed values; {@code SET},
 *   {@code FLAGSET}, {@code VARCHAR} → string;</li>
 *   <li>names in lower case, as option files and Trove write them;</li>
 *   <li>and {@link #EXCLUSIONS}: what a tenant must not set.</li>
 * </ul>
 */
public final class MariaDbParameterRules {

    /** One row of {@code information_schema.SYSTEM_VARIABLES} (the columns that matter here). */
    public record SystemVariable(String variableName, String variableType, String numericMinValue,
                                 String numericMaxValue, String enumValueList, String readOnly, String variableScope,
                                 String commandLineArgument, String defaultValue) {
    }

    /** What a tenant must not set through a configuration group, besides what cannot be set at all. */
    public static final List<ParameterExclusion> EXCLUSIONS = List.of(
            // where things are: the guest agent decides (MySqlConfigFiles.AGENT_OWNED)
            new ParameterExclusion("datadir", "file location: the guest agent places the data directory"),
            new ParameterExclusion("basedir", "file location: the server's installation"),
            new ParameterExclusion("pid_file", "file location: the pid file is where the agent looks"),
            new ParameterExclusion("tmpdir", "directory location on the host"),
            new ParameterExclusion("character_sets_dir", "directory location of the server's installation"),
            new ParameterExclusion("lc_messages_dir", "directory location of the server's installation"),
            new ParameterExclusion("lc_messages", "locale: needs the language's message file in the server's "
                    + "installation"),
            new ParameterExclusion("secure_file_priv", "file location: which host directory SQL may read and "
                    + "write"),
            new ParameterExclusion("init_file", "file location: SQL run at start from a host file"),
            new ParameterExclusion("innodb_data_home_dir", "file location: InnoDB's system tablespace"),
            new ParameterExclusion("innodb_data_file_path", "InnoDB's system tablespace files: changing them "
                    + "after initialisation stops the server"),
            new ParameterExclusion("innodb_log_group_home_dir", "file location: InnoDB's redo log"),
            new ParameterExclusion("innodb_undo_directory", "file location: InnoDB's undo tablespaces"),
            new ParameterExclusion("innodb_tmpdir", "directory location on the host"),
            new ParameterExclusion("innodb_temp_data_file_path", "file location: InnoDB's temporary tablespace"),
            new ParameterExclusion("aria_log_dir_path", "file location: Aria's logs"),
            new ParameterExclusion("log_basename", "file names of every log, binary and relay log"),
            new ParameterExclusion("log_tc", "file location: the transaction coordinator log"),
            new ParameterExclusion("plugin_dir", "library loading: where on the host plugins are loaded from"),
            // how the server is reached
            new ParameterExclusion("port", "network: clients and the agent connect to the port Trove publishes"),
            new ParameterExclusion("extra_port", "network: a second port on the instance's address"),
            new ParameterExclusion("bind_address", "network: the instance's address is the agent's"),
            new ParameterExclusion("socket", "socket: the agent connects there"),
            new ParameterExclusion("skip_networking", "network: the server would stop listening to clients"),
            new ParameterExclusion("skip_name_resolve", "the agent sets it: account hosts are addresses"),
            new ParameterExclusion("proxy_protocol_networks", "network: which hosts may claim other clients' "
                    + "addresses"),
            new ParameterExclusion("report_*", "replication: host, port, user and password reported to the "
                    + "primary"),
            // TLS and authentication
            new ParameterExclusion("ssl_*", "TLS internals: certificate, key and CRL files, ciphers"),
            new ParameterExclusion("tls_version", "TLS internals: the protocols offered"),
            new ParameterExclusion("require_secure_transport", "TLS: the agent connects without it"),
            new ParameterExclusion("default_password_lifetime", "authentication: the agent's own account's "
                    + "password would expire"),
            // code loaded into the server
            new ParameterExclusion("plugin_load", "library loading: plugins from host files"),
            new ParameterExclusion("plugin_load_add", "library loading: plugins from host files"),
            new ParameterExclusion("plugin_maturity", "library loading: which plugins may be loaded"),
            // binary log, replication and GTIDs: backups and replicas depend on them
            new ParameterExclusion("log_bin", "binary log: Trove's replication and point-in-time logs"),
            new ParameterExclusion("log_bin_basename", "binary log file names"),
            new ParameterExclusion("log_bin_index", "binary log file names"),
            new ParameterExclusion("relay_log*", "replication: relay log files and recovery"),
            new ParameterExclusion("master_info_file", "replication: a file location"),
            new ParameterExclusion("server_id", "replication: each server's id is Trove's to give"),
            new ParameterExclusion("gtid_*", "replication: GTID positions, domains and state"),
            new ParameterExclusion("read_only", "replication: Trove makes replicas read-only, and the primary "
                    + "writable"),
            new ParameterExclusion("replicate_*", "replication filters: a filtered replica silently diverges"),
            new ParameterExclusion("skip_slave_start", "replication: when replicas start is Trove's"),
            new ParameterExclusion("tc_heuristic_recover", "crash recovery: commits or rolls back prepared "
                    + "transactions at start"),
            // logs
            new ParameterExclusion("log_error", "log files: the agent reads the error log where it put it"),
            new ParameterExclusion("general_log", "the agent sets it (off)"),
            new ParameterExclusion("general_log_file", "log files: a location on the host"),
            new ParameterExclusion("slow_query_log_file", "log files: a location on the host"),
            new ParameterExclusion("log_slow_query_file", "log files: a location on the host"),
            new ParameterExclusion("log_output", "the agent sets where the general and slow logs go"),
            // fixed when the data directory is initialised: another value stops the server or corrupts data
            new ParameterExclusion("innodb_page_size", "fixed at initialisation: another value stops the server"),
            new ParameterExclusion("lower_case_table_names", "fixed at initialisation: another value hides "
                    + "tables"),
            // Galera
            new ParameterExclusion("wsrep_*", "Galera clustering: not a TroveJ datastore"));

    private MariaDbParameterRules() {
    }

    /** The rules of the parameters a tenant may set, by name. */
    public static List<ParameterRule> fromSystemVariables(List<SystemVariable> rows) {
        return map(rows).rules();
    }

    /** The rules, and what is left out and why. */
    public static MappedParameters map(List<SystemVariable> rows) {
        List<ParameterRule> rules = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        for (SystemVariable row : rows) {
            String name = row.variableName().toLowerCase(Locale.ROOT);
            Optional<String> why = exclusion(name, row);
            if (why.isPresent()) {
                excluded.put(name, why.get());
            } else {
                rules.add(rule(name, row));
            }
        }
        return new MappedParameters(rules, excluded);
    }

    /** Why a variable is left out, if it is. */
    public static Optional<String> exclusion(String name, SystemVariable row) {
        if ("SESSION ONLY".equalsIgnoreCase(row.variableScope())) {
            return Optional.of("session only: no server-wide value");
        }
        if (row.commandLineArgument() == null) {
            // a group's values live in the option file the server reads at start: what no option sets cannot be
            // one of them (time_zone, say, is default-time-zone there), even when SET GLOBAL changes it
            return Optional.of(readOnly(row) ? "read-only, and no option sets it"
                    : "no option sets it, so an option file cannot hold it");
        }
        return ParameterExclusion.first(EXCLUSIONS, name).map(ParameterExclusion::reason);
    }

    private static boolean readOnly(SystemVariable row) {
        return "YES".equalsIgnoreCase(row.readOnly());
    }

    private static ParameterRule rule(String name, SystemVariable row) {
        boolean restart = readOnly(row);
        String type = row.variableType() == null ? "" : row.variableType().toUpperCase(Locale.ROOT);
        return switch (type) {
            case "INT", "INT UNSIGNED", "BIGINT", "BIGINT UNSIGNED" -> new ParameterRule(name,
                    ParameterRule.INTEGER, row.numericMinValue(), row.numericMaxValue(), restart, null,
                    row.defaultValue());
            case "DOUBLE" -> new ParameterRule(name, ParameterRule.FLOAT, row.numericMinValue(),
                    row.numericMaxValue(), restart, null, row.defaultValue());
            case "BOOLEAN" -> new ParameterRule(name, ParameterRule.BOOLEAN, null, null, restart, null,
                    row.defaultValue());
            case "ENUM" -> new ParameterRule(name, ParameterRule.STRING, null, null, restart,
                    values(row.enumValueList()), row.defaultValue());
            case "SET", "FLAGSET", "VARCHAR" -> new ParameterRule(name, ParameterRule.STRING, null, null, restart,
                    null, row.defaultValue());
            default -> throw new IllegalArgumentException("MariaDB variable " + name + " has type '"
                    + row.variableType() + "', not one this mapping knows");
        };
    }

    private static List<String> values(String list) {
        return list == null || list.isEmpty() ? null : Arrays.asList(list.split(","));
    }
}
