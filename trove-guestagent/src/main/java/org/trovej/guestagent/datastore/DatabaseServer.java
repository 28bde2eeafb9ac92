package org.trovej.guestagent.datastore;

/**
 * An engine's server process as {@link DatastoreManager} watches and stops it, without connecting. Starting is
 * the engine's own step ({@link DatastoreManager#startServer()}): what it writes first and waits for differs.
 */
public interface DatabaseServer {

    /** The server's process id as its pid file and /proc tell it; 0 when no server runs. */
    long pid();

    /** Stops the server, as its normal shutdown does when that finishes in time, and waits until it has gone. */
    void stop();

    default boolean running() {
        return pid() != 0;
    }

    /** The last error lines of the server's own log ("" when it has none): why it stopped, in its words. */
    default String lastErrors() {
        return "";
    }
}
