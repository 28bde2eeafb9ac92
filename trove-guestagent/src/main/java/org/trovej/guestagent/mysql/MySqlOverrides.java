package org.trovej.guestagent.mysql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.ConfigurationOverrides;
import org.trovej.guestagent.datastore.ConfigurationRefused;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;

/**
 * The MySQL family takes a configuration group's values two ways: from its option files at a start (the overrides
 * layer, {@code conf.d/60-overrides.cnf}), and, for dynamic variables, with {@code SET GLOBAL} at runtime.
 * <p>
 * What is checked, and when:
 * <ul>
 *   <li>{@code update_overrides}: the option files as a start would read them. {@code mariadbd --help --verbose}
 *   parses every option file and refuses an unknown option or a value it cannot parse ({@code max_connections =
 *   abc}) as a start would, then only prints, starting nothing and writing nothing; so a value that would keep
 *   the server from starting never waits in the layer for the next restart. Not checked there: what the server
 *   parses but refuses only while starting (a buffer it cannot allocate, a file it cannot open), and numbers out
 *   of range, which the server adjusts with a warning at a start just as it does at runtime.</li>
 *   <li>{@code apply_overrides}: {@code SET GLOBAL} is the server's own check of each dynamic variable's value;
 *   a read-only variable is refused there too (the control plane applies only dynamic ones).</li>
 * </ul>
 */
final class MySqlOverrides implements ConfigurationOverrides {

    private static final Logger log = LoggerFactory.getLogger(MySqlOverrides.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);
    /** A system variable's name as SET GLOBAL takes it: nothing else is ever put into the statement unquoted. */
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern ERROR_LINE = Pattern.compile("\\[ERROR]\\s+(?:Buffered error:\\s+)?(?:\\S*mysqld:\\s+"
            + "|\\S*mariadbd:\\s+)?(.*)$");

    private final MySqlSettings settings;
    private final MySqlAdmin admin;
    private final Commands commands;

    MySqlOverrides(MySqlSettings settings, MySqlAdmin admin, Commands commands) {
        this.settings = settings;
        this.admin = admin;
        this.commands = commands;
    }

    /** A variable changed by an apply, and its value before, to set back if a later one is refused. */
    private record Change(String variable, Object previous) {
    }

    @Override
    public void checkWritten(ObjectNode overrides, boolean running) {
        CommandResult result = commands.run(List.of(settings.requireMysqld().toString(),
                "--defaults-file=" + settings.configFile(), "--help", "--verbose"), settings.dataDir(), null,
                CHECK_TIMEOUT);
        if (result.ok()) {
            return;
        }
        String reason = null;
        for (String line : result.stderr().split("\n")) {
            Matcher m = ERROR_LINE.matcher(line.strip());
            if (m.find()) {
                reason = m.group(1);
                break;
            }
        }
        if (reason == null) {
            reason = result.tail(2);
        }
        throw new ConfigurationRefused(parameterIn(reason, overrides), reason);
    }

    @Override
    public void apply(ObjectNode values, Runnable restoreLayer) {
        Deque<Change> done = new ArrayDeque<>();
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String variable = MySqlConfigFiles.normalise(e.getKey());
                if (MySqlConfigFiles.AGENT_OWNED.contains(variable)) {
                    log.warn("Override '{}' not applied: the guest agent sets it", e.getKey());
                    continue;
                }
                if (!VARIABLE.matcher(variable).matches()) {
                    throw undone(s, done, restoreLayer,
                            new ConfigurationRefused(e.getKey(), "not a variable name"));
                }
                try {
                    Object previous = current(s, variable);
                    s.execute("SET GLOBAL " + variable + " = " + literal(e.getValue()));
                    done.push(new Change(variable, previous));
                } catch (SQLException refused) {
                    if (!MySqlAdmin.serverError(refused)) {
                        throw refused;
                    }
                    throw undone(s, done, restoreLayer,
                            new ConfigurationRefused(e.getKey(), serverMessage(refused), refused));
                }
            }
        } catch (SQLException e) {
            throw new GuestError("Could not apply the configuration overrides: " + e.getMessage(), e);
        }
    }

    /** Undoes the apply so far (latest first) and puts the previous layer back; answers {@code refusal}. */
    private static ConfigurationRefused undone(Statement s, Deque<Change> done, Runnable restoreLayer,
                                               ConfigurationRefused refusal) {
        for (Change change : done) {
            try {
                s.execute("SET GLOBAL " + change.variable() + " = " + previousLiteral(change.previous()));
            } catch (SQLException e) {
                log.error("Could not set {} back after a refused apply: {}", change.variable(), e.getMessage());
            }
        }
        restoreLayer.run();
        return refusal;
    }

    /** The server's message without the driver's connection tag ("(conn=7) "). */
    private static String serverMessage(SQLException e) {
        String message = e.getMessage();
        return message == null ? "error " + e.getErrorCode() : message.replaceFirst("^\\(conn=\\d+\\)\\s*", "");
    }

    private static Object current(Statement s, String variable) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL." + variable)) {
            rs.next();
            return rs.getObject(1);
        }
    }

    /** A value as SET GLOBAL takes it: booleans ON/OFF, numbers as they are, anything else a quoted string. */
    static String literal(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean() ? "ON" : "OFF";
        }
        if (value.isNumber()) {
            return value.asText();
        }
        if (value.isNull()) {
            return "DEFAULT";
        }
        return MySqlAdmin.literal(value.asText());
    }

    /** A value read with {@code SELECT @@GLOBAL}, as its type says it must be set back. */
    private static String previousLiteral(Object previous) {
        if (previous == null) {
            return "NULL";
        }
        if (previous instanceof Number) {
            return previous.toString();
        }
        return MySqlAdmin.literal(previous.toString());
    }

    /** The override the server's message is about ('max_connections', 'foo_bar=1'), else the first one. */
    private static String parameterIn(String message, ObjectNode overrides) {
        String text = message.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        String first = null;
        for (Iterator<String> it = overrides.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            String key = MySqlConfigFiles.normalise(name);
            if (text.contains("'" + key + "'") || text.contains("'" + key + "=")) {
                return name;
            }
            first = first == null ? name : first;
        }
        return first == null ? "(unknown)" : first;
    }
}
