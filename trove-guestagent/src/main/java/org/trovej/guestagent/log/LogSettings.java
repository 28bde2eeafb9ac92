package org.trovej.guestagent.log;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.trovej.guestagent.config.GuestConfig;

/**
 * Trove's guest log options, read where Trove's guest reads them ({@code trove/common/cfg.py}):
 * {@code [DEFAULT] guest_log_container_name} (default {@code database_logs}), {@code guest_log_limit} (the largest
 * published object, default 1,000,000 bytes), {@code guest_log_expiry} (seconds before the store deletes a
 * published object, default 2592000), {@code os_region_name} (the store's region in the context's catalog; any
 * when unset); {@code [<manager>] guest_log_exposed_logs} (the user logs non-admins may see; {@code all}: every
 * one; default: the engine's); the agent's own log file from {@link GuestConfig#logFile()}.
 *
 * @param objectBase {@code <guest id>/<datastore manager>-}: every log's objects are named from it
 */
public record LogSettings(String container, long limit, long expirySeconds, String region, List<String> exposed,
                          boolean exposeAll, Path agentLogFile, String objectBase) {

    public static LogSettings from(GuestConfig config, String manager, List<String> defaultExposed) {
        String listed = config.section(manager).get("guest_log_exposed_logs");
        List<String> exposed = listed == null ? defaultExposed : Arrays.stream(listed.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        String container = config.text("guest_log_container_name");
        return new LogSettings(container == null ? "database_logs" : container,
                positive(config, "guest_log_limit", 1_000_000), positive(config, "guest_log_expiry", 2_592_000),
                config.text("os_region_name"), exposed, exposed.contains("all"), config.logFile(),
                config.guestId() + "/" + manager + "-");
    }

    private static long positive(GuestConfig config, String key, long fallback) {
        String value = config.text(key);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // below: the option is unusable
        }
        throw new IllegalArgumentException(key + " must be a positive number, not '" + value + "'");
    }
}
