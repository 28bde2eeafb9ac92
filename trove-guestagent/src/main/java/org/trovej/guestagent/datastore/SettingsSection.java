package org.trovej.guestagent.datastore;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.os.OsUser;

/**
 * An engine's configuration section, with the keys every engine has read the same way: blank values count as
 * unset, {@code data_dir} falls back to Trove's {@code mount_point}, {@code run_as} to the engine's user when the
 * agent is root (else the agent's own user).
 */
public record SettingsSection(String name, Map<String, String> values) {

    public static SettingsSection of(GuestConfig config, String name) {
        return new SettingsSection(name, config.section(name));
    }

    public Optional<String> value(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    public Optional<Path> path(String key) {
        return value(key).map(Path::of);
    }

    /** {@code bind_host}, by default every address. */
    public String bindHost() {
        return value("bind_host").orElse("0.0.0.0");
    }

    public int port(int defaultPort) {
        return value("port").map(this::parsePort).orElse(defaultPort);
    }

    /** {@code data_dir}, else {@code mount_point}, else {@code defaultDir}; absolute. */
    public Path dataDir(String defaultDir) {
        return value("data_dir").or(() -> value("mount_point")).map(Path::of).orElse(Path.of(defaultDir))
                .toAbsolutePath().normalize();
    }

    /**
     * {@code run_as}, else {@code engineUser} when the agent is root, else the agent's own user; a user the OS does
     * not know makes the configuration unusable.
     */
    public String runAs(String engineUser) {
        String user = value("run_as").orElse(OsUser.isRoot() ? engineUser : OsUser.current());
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (IOException e) {
            throw new IllegalArgumentException("[" + name + "] run_as: OS user '" + user + "' does not exist");
        }
        return user;
    }

    /** {@code template_dir} (absolute), or null: no templates. */
    public Path templateDir() {
        return path("template_dir").map(p -> p.toAbsolutePath().normalize()).orElse(null);
    }

    private int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + name + "] port must be 1..65535, not '" + value + "'");
        }
    }
}
