package org.trovej.guestagent.log;

import java.nio.file.Path;
import java.util.List;

/**
 * The per-engine seam of guest logs: which user logs (Trove's {@code USER} type) the datastore has, where their
 * files are, and how they are switched on and off. Switching must take effect in the running server when it runs
 * and be persisted beside the engine's configuration so that it survives a restart, without being undone by a
 * configuration group (which rewrites the overrides layer) and without touching that group's values.
 * {@link GuestLogs} calls {@link #setEnabled} only for a prepared datastore and one operation at a time with the
 * lifecycle calls.
 */
public interface EngineLogs {

    /** A user log: its name (as the API shows it) and the file the server writes it into. */
    record UserLog(String name, Path file) {
    }

    /** The engine's user logs, in the order the list shows them. */
    List<UserLog> userLogs();

    /** Trove's default {@code guest_log_exposed_logs} of the engine's section (cfg.py). */
    List<String> defaultExposed();

    /** Whether the log is switched on (as persisted: what the server runs with after its next start too). */
    boolean enabled(String name);

    /** Switches the log on or off: persisted, and applied at runtime when {@code running}. */
    void setEnabled(String name, boolean enabled, boolean running);

    /** An engine without user logs: only the agent's own log is listed. */
    EngineLogs NONE = new EngineLogs() {
        @Override
        public List<UserLog> userLogs() {
            return List.of();
        }

        @Override
        public List<String> defaultExposed() {
            return List.of();
        }

        @Override
        public boolean enabled(String name) {
            return false;
        }

        @Override
        public void setEnabled(String name, boolean enabled, boolean running) {
            throw new IllegalArgumentException("no user log " + name);
        }
    };
}
