package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.log.EngineLogs;
import org.trovej.guestagent.os.OsUser;

/**
 * PostgreSQL's user log {@code general}: the server log file the agent already starts the server with
 * ({@link PostgresSettings#logFile()}, {@code pg_ctl -l}), with every statement in it while the log is on
 * ({@code log_statement = 'all'}) and their durations from {@code [postgresql] guest_log_long_query_time} ms
 * ({@code log_min_duration_statement}, Trove's option, default 0). Both are reloadable: switching takes effect at
 * once with a reload, never waits for a restart (Trove's guest turns the logging collector on, which needs one).
 * <p>
 * Persisted in two layers of {@code conf.d}, so that a configuration group's layer ({@code 60-overrides.conf}),
 * which the agent rewrites whenever the group changes, neither loses nor changes them: the switch in
 * {@code 65-guest-log.conf}, after the group's layer (a log the user switched on stays on whatever the group says
 * of {@code log_statement}), the duration threshold in {@code 55-guest-log-threshold.conf}, before it (a group's own
 * {@code log_min_duration_statement} wins). The agent's own sessions never reach this log: see
 * {@link PostgresAdmin#connect}.
 */
final class PostgresLogs implements EngineLogs {

    static final String GENERAL = "general";
    static final String SWITCH_LAYER = "65-guest-log.conf";
    static final String THRESHOLD_LAYER = "55-guest-log-threshold.conf";

    private final PostgresSettings settings;
    private final PostgresAdmin admin;
    private final int longQueryTimeMs;

    PostgresLogs(GuestConfig config, PostgresSettings settings, PostgresAdmin admin) {
        this.settings = settings;
        this.admin = admin;
        String value = config.section(PostgresSettings.SECTION).get("guest_log_long_query_time");
        try {
            this.longQueryTimeMs = value == null || value.isBlank() ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[postgresql] guest_log_long_query_time must be a number of "
                    + "milliseconds, not '" + value + "'");
        }
    }

    @Override
    public List<UserLog> userLogs() {
        return List.of(new UserLog(GENERAL, settings.logFile()));
    }

    @Override
    public List<String> defaultExposed() {
        return List.of(GENERAL);
    }

    @Override
    public boolean enabled(String name) {
        return GENERAL.equals(name) && Files.isRegularFile(layer(SWITCH_LAYER));
    }

    @Override
    public void setEnabled(String name, boolean enabled, boolean running) {
        if (!GENERAL.equals(name)) {
            throw new IllegalArgumentException("no user log " + name);
        }
        if (enabled) {
            write(layer(THRESHOLD_LAYER), "# Guest log 'general' (written by the guest agent): statement durations\n"
                    + "log_min_duration_statement = " + longQueryTimeMs + "\n");
            write(layer(SWITCH_LAYER), "# Guest log 'general' is on (written by the guest agent)\n"
                    + "log_statement = 'all'\n");
        } else {
            delete(layer(SWITCH_LAYER));
            delete(layer(THRESHOLD_LAYER));
        }
        if (running) {
            try (Connection c = admin.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("SELECT pg_reload_conf()");
            } catch (SQLException e) {
                throw new GuestError("The guest log setting is saved but the server did not reload: "
                        + e.getMessage(), e);
            }
        }
    }

    private Path layer(String name) {
        return settings.pgData().resolve("conf.d").resolve(name);
    }

    private void write(Path file, String content) {
        OsUser.writeFile(file, content, settings.runAs(), "rw-------");
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
