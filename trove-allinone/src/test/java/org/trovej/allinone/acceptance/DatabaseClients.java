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
 * instances are made with user {@code appuser} (password {@code App-Pass-1}) and database {@code appdb}; other
 * users, passwords and databases log in with a {@link Login}.
 */
final class DatabaseClients {

    static final String USER = "appuser";
    static final String PASSWORD = "App-Pass-1";

    /** Who logs in, with which password, to which database. */
    record Login(String user, String password, String database) {
    }

    /** The instance's own user in its own database. */
    static final Login APP = new Login(USER, PASSWORD, "appdb");

    /** How a client exited, and what it printed (standard output and error together, stripped). */
    record Outcome(int exitCode, String output) {
    }

    private DatabaseClients() {
    }

    /** One psql statement as appuser in appdb; the rows unaligned, without headers. */
    static String psql(String address, String sql) {
        return succeeded(psqlAs(address, APP, sql), "psql");
    }

    /** One mariadb statement as appuser in appdb over TCP; the rows tab-separated, without column names. */
    static String mariadb(String address, String sql) {
        return succeeded(mariadbAs(address, APP, sql), "mariadb");
    }

    /** One psql statement as {@code login}, failed or not (for tests of who may log in). */
    static Outcome psqlAs(String address, Login login, String sql) {
        return run(List.of("psql", "host=" + address + " port=5432 dbname=" + login.database() + " user="
                + login.user() + " connect_timeout=5", "-v", "ON_ERROR_STOP=1", "-tAc", sql),
                Map.of("PGPASSWORD", login.password()), "psql");
    }

    /** One mariadb statement over TCP as {@code login}, failed or not (for tests of who may log in). */
    static Outcome mariadbAs(String address, Login login, String sql) {
        return run(List.of("/usr/bin/mariadb", "--no-defaults", "--protocol=TCP", "-h", address, "-P", "3306", "-u",
                login.user(), "--batch", "--skip-column-names", "--connect-timeout=5", "-e", sql, login.database()),
                Map.of("MYSQL_PWD", login.password()), "mariadb");
    }

    private static String succeeded(Outcome outcome, String name) {
        if (outcome.exitCode() != 0) {
            throw new AssertionError(name + " failed: " + outcome.output());
        }
        return outcome.output();
    }

    private static Outcome run(List<String> command, Map<String, String> environment, String name) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(name + " did not finish: " + out);
            }
            return new Outcome(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
