package org.trovej.guestagent.datastore;

import org.trovej.common.rpc.RpcFailure;

/**
 * The failures a Trove guest reports for accounts and databases, under the exception names of
 * {@code trove.common.exception} that a Trove control plane maps to HTTP status codes (404 for the
 * "not found" ones, 400 for bad input). TroveJ's API maps them the same way.
 */
public final class GuestErrors {

    static final String MODULE = "trove.common.exception";

    private GuestErrors() {
    }

    public static RpcFailure userNotFound(String name, String host) {
        return new RpcFailure(MODULE, "UserNotFound", "User " + name + "@" + host + " cannot be found on the instance.");
    }

    public static RpcFailure databaseNotFound(String name) {
        return new RpcFailure(MODULE, "DatabaseNotFound", "Database " + name + " cannot be found on the instance.");
    }

    public static RpcFailure userAlreadyExists(String name, String host) {
        return new RpcFailure(MODULE, "UserAlreadyExists", "A user with the name " + name + "@" + host
                + " already exists.");
    }

    /** Input the engine (or the agent's rules) refuses: an invalid name, a password the server rejects. */
    public static RpcFailure badRequest(String message) {
        return new RpcFailure(MODULE, "BadRequest", message);
    }

    /** Trove's generic NotFound (404), e.g. a log the datastore does not have. */
    public static RpcFailure notFound(String message) {
        return new RpcFailure(MODULE, "NotFound", message);
    }

    /** A log the caller may not see (a system log for a non-admin): Trove's LogAccessForbidden (403). */
    public static RpcFailure logAccessForbidden(String action, String log) {
        return new RpcFailure(MODULE, "LogAccessForbidden", "You must be admin to " + action + " log '" + log + "'.");
    }
}
