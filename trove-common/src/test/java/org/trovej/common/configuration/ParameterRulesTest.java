package org.trovej.common.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.trovej.common.configuration.MariaDbParameterRules.SystemVariable;
import org.trovej.common.configuration.PostgresParameterRules.Setting;

/** The mapping of each engine's own description of its parameters to rules. */
class ParameterRulesTest {

    private static Setting pg(String name, String vartype, String context) {
        return new Setting(name, vartype, context, null, null, null, null);
    }

    @Test
    void postgresPostmasterParametersNeedARestartAndTheOthersDoNot() {
        MappedParameters mapped = PostgresParameterRules.map(List.of(
                new Setting("max_connections", "integer", "postmaster", "1", "262143", null, "100"),
                new Setting("work_mem", "integer", "user", "64", "2147483647", null, "4096"),
                new Setting("checkpoint_timeout", "integer", "sighup", "30", "86400", null, "300"),
                new Setting("log_connections", "bool", "superuser-backend", null, null, null, "off")));
        assertThat(mapped.rules()).containsExactly(
                new ParameterRule("checkpoint_timeout", "integer", "30", "86400", false, null, "300"),
                new ParameterRule("log_connections", "boolean", null, null, false, null, "off"),
                new ParameterRule("max_connections", "integer", "1", "262143", true, null, "100"),
                new ParameterRule("work_mem", "integer", "64", "2147483647", false, null, "4096"));
        assertThat(mapped.excluded()).isEmpty();
    }

    @Test
    void postgresInternalParametersAreReadOnlyAndLeftOut() {
        MappedParameters mapped = PostgresParameterRules.map(List.of(pg("block_size", "integer", "internal"),
                pg("server_version", "string", "internal"), pg("search_path", "string", "user")));
        assertThat(mapped.rules()).extracting(ParameterRule::name).containsExactly("search_path");
        assertThat(mapped.excluded()).containsOnlyKeys("block_size", "server_version")
                .containsValue("read-only (context internal)");
    }

    @Test
    void postgresEnumsAreStringsWithTheirValuesAndRealsAreFloats() {
        List<ParameterRule> rules = PostgresParameterRules.fromSettings(List.of(
                new Setting("wal_compression", "enum", "superuser", null, null, List.of("pglz", "lz4", "zstd", "on",
                        "off"), "off"),
                new Setting("seq_page_cost", "real", "user", "0", "1.79769e+308", null, "1"),
                new Setting("DateStyle", "string", "user", null, null, null, "ISO, MDY")));
        assertThat(rules).containsExactly(
                new ParameterRule("datestyle", "string", null, null, false, null, "ISO, MDY"),
                new ParameterRule("seq_page_cost", "float", "0", "1.79769e+308", false, null, "1"),
                new ParameterRule("wal_compression", "string", null, null, false,
                        List.of("pglz", "lz4", "zstd", "on", "off"), "off"));
    }

    @Test
    void postgresExclusionsLeaveOutWhatATenantMustNotSet() {
        MappedParameters mapped = PostgresParameterRules.map(Stream.of("port", "listen_addresses", "ssl",
                "ssl_cert_file", "shared_preload_libraries", "wal_level", "archive_command", "restore_command",
                "recovery_target_time", "primary_conninfo", "log_directory", "lc_messages", "data_directory",
                "password_encryption", "krb_server_keyfile", "unix_socket_directories", "pg_stat_statements.max")
                .map(n -> pg(n, "string", "sighup")).toList());
        assertThat(mapped.rules()).isEmpty();
        assertThat(mapped.excluded()).hasSize(17);
        assertThat(mapped.excluded().get("pg_stat_statements.max")).contains("extension");
    }

    @Test
    void postgresUnknownTypesAreRefused() {
        assertThatThrownBy(() -> PostgresParameterRules.fromSettings(List.of(pg("x", "complex", "user"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("complex");
    }

    @Test
    void postgresDescribeConfigIsParsedColumnByColumn() {
        String output = String.join("\n",
                "max_connections\tpostmaster\tConnections and Authentication / Connection Settings\tINTEGER\t100\t1"
                        + "\t262143\tSets the maximum number of concurrent connections.\t",
                "autovacuum\tsighup\tAutovacuum\tBOOLEAN\tTRUE\t\t\tStarts the autovacuum subprocess.\t",
                "seq_page_cost\tuser\tQuery Tuning\tREAL\t1\t0\t1.79769e+308\tSets the planner's estimate.\t",
                "wal_compression\tsuperuser\tWrite-Ahead Log / Settings\tENUM\toff\t\t\tCompresses.\t",
                "application_name\tuser\tReporting and Logging / What to Log\tSTRING\t\t\t\tSets the name.\t",
                "block_size\tinternal\tPreset Options\tINTEGER\t8192\t8192\t8192\tShows the block size.\t", "");
        MappedParameters mapped = PostgresParameterRules.fromDescribeConfig(output);
        assertThat(mapped.rules()).containsExactly(
                new ParameterRule("application_name", "string", null, null, false, null, ""),
                // what it prints as the default of anything but a string is not initialised: unknown
                new ParameterRule("autovacuum", "boolean", null, null, false, null, null),
                new ParameterRule("max_connections", "integer", "1", "262143", true, null, null),
                new ParameterRule("seq_page_cost", "float", "0", "1.79769e+308", false, null, null),
                // --describe-config does not list an enum's values
                new ParameterRule("wal_compression", "string", null, null, false, null, null));
        assertThat(mapped.excluded()).containsOnlyKeys("block_size");
    }

    private static SystemVariable maria(String name, String type, String readOnly, String scope, String option) {
        return new SystemVariable(name, type, null, null, null, readOnly, scope, option, null);
    }

    @Test
    void mariadbReadOnlyVariablesNeedARestartAndThoseNoOptionSetsAreLeftOut() {
        MappedParameters mapped = MariaDbParameterRules.map(List.of(
                new SystemVariable("MAX_CONNECTIONS", "BIGINT UNSIGNED", "10", "100000", null, "NO", "GLOBAL",
                        "REQUIRED", "151"),
                new SystemVariable("INNODB_BUFFER_POOL_INSTANCES", "BIGINT", "0", "64", null, "YES", "GLOBAL",
                        "REQUIRED", "0"),
                maria("VERSION_COMMENT", "VARCHAR", "YES", "GLOBAL", null),
                maria("LOCKED_IN_MEMORY", "BOOLEAN", "YES", "GLOBAL", null),
                maria("TIMESTAMP", "DOUBLE", "NO", "SESSION ONLY", null),
                maria("INSERT_ID", "BIGINT UNSIGNED", "NO", "SESSION ONLY", null),
                maria("TIME_ZONE", "VARCHAR", "NO", "SESSION", null)));
        assertThat(mapped.rules()).containsExactly(
                new ParameterRule("innodb_buffer_pool_instances", "integer", "0", "64", true, null, "0"),
                new ParameterRule("max_connections", "integer", "10", "100000", false, null, "151"));
        assertThat(mapped.excluded()).containsEntry("version_comment", "read-only, and no option sets it")
                .containsEntry("locked_in_memory", "read-only, and no option sets it")
                .containsEntry("time_zone", "no option sets it, so an option file cannot hold it")
                .containsEntry("timestamp", "session only: no server-wide value")
                .containsEntry("insert_id", "session only: no server-wide value");
    }

    @Test
    void mariadbTypesMapToTroveTypes() {
        List<ParameterRule> rules = MariaDbParameterRules.fromSystemVariables(List.of(
                new SystemVariable("LONG_QUERY_TIME", "DOUBLE", "0", "31536000", null, "NO", "SESSION", "REQUIRED",
                        "10.000000"),
                new SystemVariable("AUTOCOMMIT", "BOOLEAN", null, null, "OFF,ON", "NO", "SESSION", "OPTIONAL", "ON"),
                new SystemVariable("BINLOG_FORMAT", "ENUM", null, null, "MIXED,STATEMENT,ROW", "NO", "SESSION",
                        "REQUIRED", "MIXED"),
                new SystemVariable("SQL_MODE", "SET", null, null, "REAL_AS_FLOAT,ANSI", "NO", "SESSION", "REQUIRED",
                        "ANSI"),
                new SystemVariable("OPTIMIZER_SWITCH", "FLAGSET", null, null, "index_merge,default", "NO",
                        "SESSION", "REQUIRED", "index_merge=on"),
                new SystemVariable("INIT_CONNECT", "VARCHAR", null, null, null, "NO", "GLOBAL", "REQUIRED", ""),
                new SystemVariable("AUTO_INCREMENT_INCREMENT", "INT UNSIGNED", "1", "65535", null, "NO", "SESSION",
                        "REQUIRED", "1"),
                new SystemVariable("MAX_SEEKS_FOR_KEY", "BIGINT UNSIGNED", "1", "18446744073709551615", null, "NO",
                        "SESSION", "REQUIRED", "4294967295")));
        assertThat(rules).containsExactly(
                new ParameterRule("auto_increment_increment", "integer", "1", "65535", false, null, "1"),
                new ParameterRule("autocommit", "boolean", null, null, false, null, "ON"),
                new ParameterRule("binlog_format", "string", null, null, false, List.of("MIXED", "STATEMENT", "ROW"),
                        "MIXED"),
                new ParameterRule("init_connect", "string", null, null, false, null, ""),
                new ParameterRule("long_query_time", "float", "0", "31536000", false, null, "10.000000"),
                new ParameterRule("max_seeks_for_key", "integer", "1", "18446744073709551615", false, null,
                        "4294967295"),
                new ParameterRule("optimizer_switch", "string", null, null, false, null, "index_merge=on"),
                new ParameterRule("sql_mode", "string", null, null, false, null, "ANSI"));
    }

    @Test
    void mariadbExclusionsLeaveOutWhatATenantMustNotSet() {
        MappedParameters mapped = MariaDbParameterRules.map(Stream.of("DATADIR", "PORT", "BIND_ADDRESS", "SOCKET",
                "PID_FILE", "LOG_ERROR", "SERVER_ID", "GTID_DOMAIN_ID", "READ_ONLY", "RELAY_LOG_SPACE_LIMIT",
                "PLUGIN_LOAD_ADD", "SSL_CERT", "WSREP_ON", "SECURE_FILE_PRIV", "TMPDIR", "SKIP_NETWORKING",
                "GENERAL_LOG_FILE", "SLOW_QUERY_LOG_FILE")
                .map(n -> maria(n, "VARCHAR", "NO", "GLOBAL", "REQUIRED")).toList());
        assertThat(mapped.rules()).isEmpty();
        assertThat(mapped.excluded()).hasSize(18);
        // what tenants tune stays
        assertThat(MariaDbParameterRules.fromSystemVariables(List.of(
                maria("LOG_BIN_TRUST_FUNCTION_CREATORS", "BOOLEAN", "NO", "GLOBAL", "OPTIONAL"),
                maria("SLOW_QUERY_LOG", "BOOLEAN", "NO", "GLOBAL", "OPTIONAL"))))
                .extracting(ParameterRule::name).containsExactly("log_bin_trust_function_creators", "slow_query_log");
    }

    @Test
    void exclusionPatternsMatchNamesOrPrefixes() {
        assertThat(new ParameterExclusion("ssl_*", "").matches("ssl_ca_file")).isTrue();
        assertThat(new ParameterExclusion("ssl_*", "").matches("ssl")).isFalse();
        assertThat(new ParameterExclusion("ssl", "").matches("ssl_ca_file")).isFalse();
        assertThat(new ParameterExclusion("port", "").matches("port")).isTrue();
    }

    /** docs/parameter-exclusions.md lists every exclusion of both engines. */
    @Test
    void everyExclusionIsDocumented() throws IOException {
        Path doc = Path.of("..", "docs", "parameter-exclusions.md");
        String text = Files.readString(doc);
        Stream.concat(PostgresParameterRules.EXCLUSIONS.stream(), MariaDbParameterRules.EXCLUSIONS.stream())
                .forEach(e -> assertThat(text).as("docs/parameter-exclusions.md lists %s", e.pattern())
                        .contains("`" + e.pattern() + "`"));
    }
}
