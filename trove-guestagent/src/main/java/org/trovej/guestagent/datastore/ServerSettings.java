package org.trovej.guestagent.datastore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What every engine's configuration section says about its server, and what follows from it the same way for
 * every engine: where the agent connects, where its admin password is kept, how long a socket path may be. An
 * engine's settings record adds its own keys (programs, sockets, file layout); {@link SettingsSection} reads the
 * common ones.
 */
public interface ServerSettings {

    /** The configuration section read ({@code [postgresql]}, {@code [mariadb]}, ...), named in error messages. */
    String section();

    /** The address(es) the server listens on. */
    String bindHost();

    int port();

    /** The volume: everything of the instance lives below it. */
    Path dataDir();

    /** The OS user the server runs as. */
    String runAs();

    /** The agent's admin credentials (os_admin), readable only by the agent. */
    default Path adminCredentials() {
        return dataDir().resolve("os_admin.cnf");
    }

    /** Where the agent connects: the listen address, or loopback when the server listens on every address. */
    default String connectHost() {
        String first = bindHost().split(",")[0].strip();
        return switch (first) {
            case "*", "0.0.0.0", "" -> "127.0.0.1";
            case "::" -> "::1";
            default -> first;
        };
    }

    /** {@code host:port} for a JDBC URL (an IPv6 address in brackets). */
    default String connectAddress() {
        String host = connectHost();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /**
     * Fails naming the setting {@code key} when {@code socket} is too long for a Unix socket: the server would only
     * say so in its log.
     */
    default void requireSocketLength(Path socket, String key) {
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 107) {
            throw new GuestError("Unix socket path " + socket + " is longer than 107 bytes: set a shorter ["
                    + section() + "] " + key);
        }
    }
}
