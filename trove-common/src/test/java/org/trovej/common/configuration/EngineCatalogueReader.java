package org.trovej.common.configuration;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Reads a running engine's parameters and maps them to a {@link ParameterCatalogue}: what the shipped catalogues
 * are generated from ({@link ParameterCatalogueGenerator}) and what the tests compare them with.
 */
final class EngineCatalogueReader {

    static final String POSTGRES = "postgres";
    static final String MARIADB = "mariadb";

    private EngineCatalogueReader() {
    }

    static ParameterCatalogue read(String engine, String jdbcUrl, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
            return switch (engine) {
                case POSTGRES -> new ParameterCatalogue("postgresql", postgresVersion(c), "pg_settings",
                        PostgresParameterRules.map(pgSettings(c)));
                case MARIADB -> new ParameterCatalogue("mariadb", mariadbVersion(c),
                        "information_schema.SYSTEM_VARIABLES",
                        MariaDbParameterRules.map(systemVariables(c)));
                default -> throw new IllegalArgumentException("engine '" + engine + "': postgres or mariadb");
            };
        }
    }

    /** {@code 15.20} of {@code 15.20 (Debian 15.20-0+deb12u1)}. */
    static String postgresVersion(Connection c) throws SQLException {
        return single(c, "SHOW server_version").split("\\s+")[0];
    }

    /** {@code 10.11.19} of {@code 10.11.19-MariaDB-0+deb12u1}. */
    static String mariadbVersion(Connection c) throws SQLException {
        return single(c, "SELECT VERSION()").split("-")[0];
    }

    static List<PostgresParameterRules.Setting> pgSettings(Connection c) throws SQLException {
        List<PostgresParameterRules.Setting> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name, vartype, context, min_val, max_val, enumvals, boot_val FROM pg_settings")) {
            while (rs.next()) {
                Array values = rs.getArray("enumvals");
                rows.add(new PostgresParameterRules.Setting(rs.getString("name"), rs.getString("vartype"),
                        rs.getString("context"), rs.getString("min_val"), rs.getString("max_val"),
                        values == null ? null : Arrays.asList((String[]) values.getArray()), rs.getString("boot_val")));
            }
        }
        return rows;
    }

    static List<MariaDbParameterRules.SystemVariable> systemVariables(Connection c) throws SQLException {
        List<MariaDbParameterRules.SystemVariable> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VARIABLE_NAME, VARIABLE_TYPE, "
                + "NUMERIC_MIN_VALUE, NUMERIC_MAX_VALUE, ENUM_VALUE_LIST, READ_ONLY, VARIABLE_SCOPE, "
                + "COMMAND_LINE_ARGUMENT, DEFAULT_VALUE FROM information_schema.SYSTEM_VARIABLES")) {
            while (rs.next()) {
                rows.add(new MariaDbParameterRules.SystemVariable(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9)));
            }
        }
        return rows;
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
