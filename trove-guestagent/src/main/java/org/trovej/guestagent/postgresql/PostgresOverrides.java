package org.trovej.guestagent.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.guestagent.datastore.ConfigurationOverrides;
import org.trovej.guestagent.datastore.ConfigurationRefused;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.Pause;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;

/**
 * PostgreSQL reads a configuration group's values from its overrides layer ({@code conf.d/60-overrides.conf}): a
 * reload applies the ones that need no restart, a start all of them. So applying is a reload, whatever values the
 * control plane sends: after a detach the reload already puts every reloadable parameter back to its default (the
 * defaults sent are those).
 * <p>
 * Checking a written layer: {@code pg_file_settings} parses the files on disk as a reload would, without applying
 * anything, and names each setting the server refuses. It also lists a changed restart-only parameter
 * ({@code max_connections}) as "setting could not be applied", though the value is fine and only waits for the
 * restart, and it never gives the reason; the server's own reading of the files at a start ({@code postgres -C},
 * which works beside the running server) tells the two apart and says why.
 */
final class PostgresOverrides implements ConfigurationOverrides {

    private static final Duration RELOAD_WAIT = Duration.ofSeconds(10);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern PARAMETER = Pattern.compile("parameter \"([^\"]+)\"");
    private static final Pattern MESSAGE = Pattern.compile("\\b(LOG|FATAL|ERROR|HINT|DETAIL):\\s+(.*)$");

    private final PostgresSettings settings;
    private final PostgresAdmin admin;
    private final PostgresConfigFiles files;
    private final Commands commands;

    PostgresOverrides(PostgresSettings settings, PostgresAdmin admin, PostgresConfigFiles files, Commands commands) {
        this.settings = settings;
        this.admin = admin;
        this.files = files;
        this.commands = commands;
    }

    /** A setting of the overrides layer the server refuses, and why. */
    private record Refusal(String parameter, String reason) {
        ConfigurationRefused error() {
            return new ConfigurationRefused(parameter, reason);
        }
    }

    @Override
    public void checkWritten(ObjectNode overrides, boolean running) {
        Optional<Refusal> refusal = running ? refusalInFileSettings() : refusalAtStart(null);
        if (refusal.isPresent()) {
            throw refusal.get().error();
        }
    }

    @Override
    public void apply(ObjectNode values, Runnable restoreLayer) {
        reload();
        Optional<Refusal> refusal = refusalInFileSettings();
        if (refusal.isPresent()) {
            // the reload applied the settings the server accepted: the previous layer's values come back the same way
            restoreLayer.run();
            reload();
            throw refusal.get().error();
        }
    }

    /**
     * What {@code pg_file_settings} reports wrong in the overrides layer. A refusal of a parameter that can change
     * at runtime is certain; one of a restart-only parameter may only be the pending restart, which the server's
     * start-time reading of the files decides (and it gives the reason for any refusal).
     */
    private Optional<Refusal> refusalInFileSettings() {
        List<Refusal> certain = new ArrayList<>();
        List<Refusal> maybeRestartOnly = new ArrayList<>();
        try (Connection c = admin.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT f.name, f.error, s.context FROM pg_file_settings f "
                     + "LEFT JOIN pg_settings s ON s.name = f.name "
                     + "WHERE f.error IS NOT NULL AND f.sourcefile = ? ORDER BY f.seqno")) {
            ps.setString(1, files.overridesFile().toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Refusal refusal = new Refusal(rs.getString(1), rs.getString(2));
                    boolean restartOnly = "postmaster".equals(rs.getString(3));
                    (restartOnly ? maybeRestartOnly : certain).add(refusal);
                }
            }
        } catch (SQLException e) {
            throw new GuestError("Could not read PostgreSQL's pg_file_settings: " + e.getMessage(), e);
        }
        if (certain.isEmpty() && maybeRestartOnly.isEmpty()) {
            return Optional.empty();
        }
        Refusal first = certain.isEmpty() ? maybeRestartOnly.get(0) : certain.get(0);
        Optional<Refusal> atStart = refusalAtStart(first.parameter());
        if (atStart.isPresent() || certain.isEmpty()) {
            return atStart;
        }
        return Optional.of(first);
    }

    /**
     * Reads the configuration files as a server start would ({@code postgres -C port}, as the server's OS user),
     * without starting anything: empty when the server would accept them, else the parameter it refuses (as its
     * message names it, else {@code fallbackName}) and its message.
     */
    private Optional<Refusal> refusalAtStart(String fallbackName) {
        CommandResult result = commands.run(List.of(settings.tool("postgres").toString(), "-C", "port", "-D",
                settings.pgData().toString()), settings.dataDir(), null, CHECK_TIMEOUT);
        if (result.ok()) {
            return Optional.empty();
        }
        // the server says what it refuses in a message naming the parameter; other messages are the context
        // (an include_if_exists file that is not there, "configuration file ... contains errors")
        String reason = null;
        String other = null;
        List<String> hints = new ArrayList<>();
        for (String line : (result.stderr() + "\n" + result.stdout()).split("\n")) {
            Matcher m = MESSAGE.matcher(line.strip());
            if (!m.find()) {
                continue;
            }
            String message = m.group(2);
            if (m.group(1).equals("HINT") || m.group(1).equals("DETAIL")) {
                hints.add(message);
            } else if (reason == null && PARAMETER.matcher(message).find()) {
                reason = message;
            } else if (other == null && !message.startsWith("skipping missing configuration file")
                    && !message.matches("configuration file .* contains errors.*")) {
                other = message;
            }
        }
        if (reason == null) {
            reason = other;
        }
        if (reason == null) {
            reason = result.tail(2);
        }
        if (!hints.isEmpty()) {
            reason += " (" + String.join("; ", hints) + ")";
        }
        Matcher named = PARAMETER.matcher(reason);
        String parameter = named.find() ? named.group(1) : fallbackName;
        return Optional.of(new Refusal(parameter == null ? "(unknown)" : parameter, reason));
    }

    /**
     * {@code pg_reload_conf()} only signals the server: waits until it has reread the files, so that a session
     * opened once this returns has the new values ({@code pg_conf_load_time()} of a new session is the server's).
     */
    private void reload() {
        Timestamp before;
        try (Connection c = admin.connect("postgres"); Statement s = c.createStatement()) {
            before = loadTime(s);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new GuestError("Could not reload PostgreSQL's configuration: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (true) {
            try (Connection c = admin.connect("postgres"); Statement s = c.createStatement()) {
                if (loadTime(s).after(before)) {
                    return;
                }
            } catch (SQLException e) {
                throw new GuestError("Could not reload PostgreSQL's configuration: " + e.getMessage(), e);
            }
            if (System.nanoTime() > deadline) {
                throw new GuestError("PostgreSQL did not reload its configuration within "
                        + RELOAD_WAIT.toSeconds() + " s");
            }
            Pause.sleep(50);
        }
    }

    private static Timestamp loadTime(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT pg_conf_load_time()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }
}
