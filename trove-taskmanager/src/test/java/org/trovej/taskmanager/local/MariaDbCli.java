package org.trovej.taskmanager.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's MariaDB client ({@code /usr/bin/mariadb}) and server program, as a user on this host would run them:
 * the real client logs in to an instance, without reading the host's option files.
 */
final class MariaDbCli {

    record Result(int exitCode, String stdout, String stderr) {
    }

    private MariaDbCli() {
    }

    /** Runs {@code sql} as {@code user} (batch mode: tab-separated rows, no headers); the password via the env. */
    static Result run(String address, String user, String password, String database, String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/mariadb", "--no-defaults", "--protocol=TCP",
                "-h", address, "-P", "3306", "-u", user, "--batch", "--skip-column-names", "--connect-timeout=5",
                "-e", sql, database));
        pb.environment().put("MYSQL_PWD", password);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the mariadb client did not finish");
        }
        return new Result(process.exitValue(), out, err);
    }

    /** The full version of the host's server ({@code 10.11.14}), as {@code mariadbd --version} says it. */
    static String serverVersion() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/usr/sbin/mariadbd", "--no-defaults", "--version")
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("Ver\\s+(\\d+\\.\\d+\\.\\d+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no version in: " + out);
        }
        return m.group(1);
    }
}
