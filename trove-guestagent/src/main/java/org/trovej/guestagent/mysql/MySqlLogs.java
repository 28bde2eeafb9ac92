package org.trovej.guestagent.mysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.log.EngineLogs;

/**
 * The MySQL family's user logs, Trove's: {@code general} (every statement, {@code general_log}) and
 * {@code slow_query} (statements slower than {@code [<manager>] guest_log_long_query_time} ms, default 1000:
 * {@code slow_query_log}, {@code long_query_time}). Their files are next to the data and the error log
 * ({@link MySqlSettings#generalLogFile()}, {@link MySqlSettings#slowQueryLogFile()}), set by the agent's system
 * layer. All of it is dynamic: switching is a {@code SET GLOBAL} in the running server, never a restart.
 * <p>
 * Persisted in two option-file layers, so that a configuration group's layer ({@code 60-overrides.cnf}), which the
 * agent rewrites whenever the group changes, neither loses nor changes them: the switches in
 * {@code 65-guest-log.cnf}, after the group's layer (a log the user switched on stays on), the slow log's threshold
 * in {@code 55-guest-log-threshold.cnf}, before it (a group's own {@code long_query_time} wins; at runtime it is
 * then left as the group set it). The agent's own sessions never reach these logs: see {@link MySqlAdmin#connect}.
 */
final class MySqlLogs implements EngineLogs {

    static final String GENERAL = "general";
    static final String SLOW_QUERY = "slow_query";

    private final MySqlSettings settings;
    private final MySqlConfigFiles files;
    private final MySqlAdmin admin;
    private final double longQueryTimeSeconds;

    MySqlLogs(GuestConfig config, MySqlSettings settings, MySqlConfigFiles files, MySqlAdmin admin) {
        this.settings = settings;
        this.files = files;
        this.admin = admin;
        String value = config.section(settings.section()).get("guest_log_long_query_time");
        try {
            this.longQueryTimeSeconds = (value == null || value.isBlank() ? 1000 : Integer.parseInt(value.strip()))
                    / 1000.0;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + settings.section() + "] guest_log_long_query_time must be a "
                    + "number of milliseconds, not '" + value + "'");
        }
    }

    @Override
    public List<UserLog> userLogs() {
        return List.of(new UserLog(GENERAL, settings.generalLogFile()),
                new UserLog(SLOW_QUERY, settings.slowQueryLogFile()));
    }

    @Override
    public List<String> defaultExposed() {
        return List.of(GENERAL, SLOW_QUERY);
    }

    @Override
    public boolean enabled(String name) {
        String variable = variable(name);
        Path layer = settings.confDir().resolve(MySqlConfigFiles.GUEST_LOG);
        try {
            return Files.isRegularFile(layer) && Files.readAllLines(layer).stream()
                    .anyMatch(l -> l.strip().toLowerCase(Locale.ROOT).equals(variable + " = 1"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layer, e);
        }
    }

    @Override
    public void setEnabled(String name, boolean enabled, boolean running) {
        String variable = variable(name);
        boolean general = GENERAL.equals(name) ? enabled : enabled(GENERAL);
        boolean slow = SLOW_QUERY.equals(name) ? enabled : enabled(SLOW_QUERY);
        files.writeGuestLogs(general, slow, slow ? longQueryTimeSeconds : null);
        if (!running) {
            return;
        }
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            if (enabled) {
                // a server started before the agent named the files in its system layer writes them elsewhere
                Path file = GENERAL.equals(name) ? settings.generalLogFile() : settings.slowQueryLogFile();
                s.execute("SET GLOBAL " + variable + "_file = " + MySqlAdmin.literal(file.toString()));
                if (SLOW_QUERY.equals(name) && !groupSetsLongQueryTime()) {
                    s.execute("SET GLOBAL long_query_time = " + longQueryTimeSeconds);
                }
            }
            s.execute("SET GLOBAL " + variable + " = " + (enabled ? "ON" : "OFF"));
        } catch (SQLException e) {
            throw new GuestError("The guest log setting is saved but the server refused it: " + e.getMessage(), e);
        }
    }

    private static String variable(String name) {
        return switch (name) {
            case GENERAL -> "general_log";
            case SLOW_QUERY -> "slow_query_log";
            default -> throw new IllegalArgumentException("no user log " + name);
        };
    }

    private boolean groupSetsLongQueryTime() {
        String layer = files.readOverrides();
        if (layer == null) {
            return false;
        }
        List<String> names = new ArrayList<>();
        for (String line : layer.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.strip().startsWith("#")) {
                names.add(MySqlConfigFiles.normalise(line.substring(0, eq).strip()));
            }
        }
        return names.contains("long_query_time") || names.contains("log_slow_query_time");
    }
}
