package org.trovej.allinone.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's own database clients, as an instance's user reaches its database: {@code psql} and {@code mariadb} in
 * batch mode, the password through the environment (never on the command line). An acceptance test's
 * instances are made with user {@code appuser} (password {@code App-Pass-1}) and database {@code appdb}.
 */
final class DatabaseClients {

    static final String USER = "appuser";
    static final String PASSWORD = "App-Pass-1";

    private DatabaseClients() {
    }

    /** One psql statement in appdb; the rows unaligned, without headers. */
    static String psql(String address, String sql) {
        return run(List.of("psql", "host=" + address + " port=5432 dbname=appdb user=" + USER + " connect_timeout=5",
                "-v", "ON_ERROR_STOP=1", "-tAc", sql), Map.of("PGPASSWORD", PASSWORD), "psql");
    }

    /** One mariadb statement in appdb over TCP; the rows tab-separated, without column names. */
    static String mariadb(String address, String sql) {
        return run(List.of("/usr/bin/mariadb", "--no-defaults", "--protocol=TCP", "-h", address, "-P", "3306", "-u",
                USER, "--batch", "--skip-column-names", "--connect-timeout=5", "-e", sql, "appdb"),
                Map.of("MYSQL_PWD", PASSWORD), "mariadb");
    }

    private static String run(List<String> command, Map<String, String> environment, String name) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError(name + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
