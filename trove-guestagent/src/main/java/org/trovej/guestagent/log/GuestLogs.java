package org.trovej.guestagent.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.log.GuestLogAction;
import org.trovej.common.log.GuestLogInfo;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcFailure;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.datastore.GuestErrors;

/**
 * Trove's guest logs ({@code guest_log_list}, {@code guest_log_action}; trove/guestagent/datastore/manager.py):
 * the engine's user logs ({@link EngineLogs}) and the agent's own log ({@code guest}, type SYS: always on, for
 * admins only). A user log non-admins may see is one named in {@code guest_log_exposed_logs}; the agent's log is
 * never shown to them, even with {@code all} (which in Trove would expose it too: it says what the agent did).
 * <p>
 * What the store holds of each log is tracked by one {@link GuestLog} per log for the agent's lifetime; the calls
 * run one at a time. The store is opened from each request's context, and only when a call needs it.
 */
public final class GuestLogs {

    private static final Logger log = LoggerFactory.getLogger(GuestLogs.class);
    public static final String AGENT_LOG = "guest";

    /** Runs a change of the datastore's logging: one at a time with the lifecycle calls, on a prepared datastore. */
    @FunctionalInterface
    public interface ChangeGuard {
        void run(String operation, Runnable change);
    }

    private final LogSettings settings;
    private final EngineLogs engine;
    private final ChangeGuard guard;
    private final java.util.function.BooleanSupplier running;
    private final Map<String, GuestLog> logs = new LinkedHashMap<>();
    private volatile LogStore.Factory stores;

    public GuestLogs(LogSettings settings, EngineLogs engine, LogStore.Factory stores, ChangeGuard guard,
                     java.util.function.BooleanSupplier running) {
        this.settings = settings;
        this.engine = engine;
        this.stores = stores;
        this.guard = guard;
        this.running = running;
        for (EngineLogs.UserLog userLog : engine.userLogs()) {
            logs.put(userLog.name(), new GuestLog(userLog.name(), GuestLogInfo.USER, userLog.file(), settings));
        }
        logs.put(AGENT_LOG, new GuestLog(AGENT_LOG, GuestLogInfo.SYS, settings.agentLogFile(), settings));
    }

    LogSettings settings() {
        return settings;
    }

    /** Replaces where logs are published (tests: a directory). */
    public void useStores(LogStore.Factory factory) {
        this.stores = factory;
    }

    /** {@code guest_log_list}: every log the caller may see. */
    public synchronized List<GuestLogInfo> list(RpcContext context) {
        return storeFailures("list the logs", () -> listVisible(context));
    }

    private List<GuestLogInfo> listVisible(RpcContext context) {
        Supplier<LogStore> store = storeOf(context);
        List<GuestLogInfo> shown = new ArrayList<>();
        for (GuestLog guestLog : logs.values()) {
            if (visible(guestLog, context)) {
                shown.add(guestLog.show(store, enabled(guestLog)));
            }
        }
        return shown;
    }

    /**
     * {@code guest_log_action}: publishing switches the log on unless asked to switch it off; a system log is only
     * shown, published or discarded. The order is Trove's: switch, then discard, then publish.
     */
    public synchronized GuestLogInfo action(RpcContext context, GuestLogAction action) {
        return storeFailures("act on log '" + action.logName() + "'", () -> act(context, action));
    }

    private GuestLogInfo act(RpcContext context, GuestLogAction action) {
        String name = action.logName();
        boolean disable = action.disabling();
        boolean publish = action.publishing();
        boolean discard = action.discarding();
        if (action.enabling() && disable) {
            throw GuestErrors.badRequest("Cannot enable and disable log '" + name + "'.");
        }
        boolean enable = action.enabling() || (publish && !disable);
        GuestLog guestLog = name == null ? null : logs.get(name);
        if (guestLog == null) {
            throw GuestErrors.notFound("Log '" + name + "' is not defined.");
        }
        boolean system = GuestLogInfo.SYS.equals(guestLog.type());
        if (system && !publish && (enable || disable)) {
            throw GuestErrors.badRequest("Cannot " + (enable ? "enable" : "disable") + " a SYSTEM log ('" + name
                    + "').");
        }
        // checked before anything changes (Trove switches the log first and refuses to show it afterwards)
        if (!visible(guestLog, context)) {
            throw GuestErrors.logAccessForbidden(publish ? "publish" : discard ? "discard" : "show", name);
        }
        if (!system && (enable || disable) && engine.enabled(name) != enable) {
            guard.run((enable ? "enable" : "disable") + " log '" + name + "'", () -> {
                engine.setEnabled(name, enable, running.getAsBoolean());
                log.info("Guest log '{}' {}", name, enable ? "enabled" : "disabled");
            });
        }
        Supplier<LogStore> store = storeOf(context);
        GuestLogInfo details = guestLog.show(store, enabled(guestLog));
        if (discard) {
            details = guestLog.discard(store, enabled(guestLog));
        }
        if (publish) {
            details = guestLog.publish(store, enabled(guestLog));
            log.info("Guest log '{}' published: {} bytes in the store", name, details.published());
        }
        return details;
    }

    /** A failure of the store or of a file is the caller's error message, not a stack trace (Trove's GuestError). */
    private static <T> T storeFailures(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RpcFailure e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("Could not {}: {}", what, e.getMessage());
            throw new GuestError("Could not " + what + ": " + e.getMessage(), e);
        }
    }

    private boolean enabled(GuestLog guestLog) {
        return GuestLogInfo.SYS.equals(guestLog.type()) || engine.enabled(guestLog.name());
    }

    private boolean visible(GuestLog guestLog, RpcContext context) {
        if (context != null && context.isAdmin()) {
            return true;
        }
        return GuestLogInfo.USER.equals(guestLog.type())
                && (settings.exposeAll() || settings.exposed().contains(guestLog.name()));
    }

    /** The request's store, opened at its first use in the call (a call that needs none opens none). */
    private Supplier<LogStore> storeOf(RpcContext context) {
        LogStore.Factory factory = stores;
        return new Supplier<>() {
            private LogStore opened;

            @Override
            public LogStore get() {
                if (opened == null) {
                    opened = factory.open(context == null ? RpcContext.empty() : context);
                }
                return opened;
            }
        };
    }
}
