package org.trovej.guestagent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The agent's configuration, read as a Trove guest reads it: the control plane injects
 * {@code guest_info.conf} (who this guest is, its RPC key) and {@code trove-guestagent.conf} (broker,
 * exchange, datastore sections); files given later override earlier ones key by key.
 * <p>
 * Only {@code [DEFAULT]} options every datastore shares have accessors here; a datastore manager reads its
 * own section ({@code [postgresql]}, ...) through {@link #section(String)}. The data volume's keys
 * ({@code volume_device}, {@code volume_fstype}, {@code volume_device_wait}, {@code state_dir}) are read and
 * documented by {@link org.trovej.guestagent.volume.VolumeSettings}.
 */
public final class GuestConfig {

    /** What a Trove guest reads when started without arguments. */
    public static final List<Path> DEFAULT_FILES = List.of(
            Path.of("/etc/trove/conf.d/guest_info.conf"), Path.of("/etc/trove/trove-guestagent.conf"));

    private final IniFile ini;
    private final List<Path> files;

    private GuestConfig(IniFile ini, List<Path> files) {
        this.ini = ini;
        this.files = List.copyOf(files);
    }

    /**
     * Reads the files named by {@code --config-file <path>} / {@code --config-file=<path>} (repeatable) and
     * {@code --config-dir <dir>} (its {@code *.conf} in name order), in argument order. Without either, the
     * default files that exist. A file named explicitly must exist (oslo refuses to start otherwise).
     */
    public static GuestConfig fromArgs(String[] args) {
        List<Path> files = new ArrayList<>();
        boolean explicit = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!option.equals("--config-file") && !option.equals("--config-dir")) {
                throw new IllegalArgumentException("unknown argument '" + arg
                        + "' (expected --config-file <path> or --config-dir <dir>)");
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(option + " needs a path");
            }
            explicit = true;
            Path path = Path.of(value);
            if (option.equals("--config-dir")) {
                files.addAll(confFilesIn(path));
            } else {
                if (!Files.isRegularFile(path)) {
                    throw new IllegalArgumentException("config file " + path + " not found");
                }
                files.add(path);
            }
        }
        if (!explicit) {
            DEFAULT_FILES.stream().filter(Files::isRegularFile).forEach(files::add);
        }
        return load(files);
    }

    private static List<Path> confFilesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("config directory " + dir + " not found");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".conf"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    public static GuestConfig load(List<Path> files) {
        IniFile merged = IniFile.empty();
        for (Path file : files) {
            merged = merged.overlay(IniFile.read(file));
        }
        return new GuestConfig(merged, files);
    }

    /** For tests and embedding: configuration from already-parsed INI content. */
    public static GuestConfig of(IniFile ini) {
        return new GuestConfig(ini, List.of());
    }

    /** This configuration with {@code later}'s values on top (as a later --config-file would). */
    public GuestConfig overlay(IniFile later) {
        return new GuestConfig(ini.overlay(later), files);
    }

    public List<Path> files() {
        return files;
    }

    /** Fails with the first thing that keeps the agent from starting. */
    public GuestConfig validate() {
        if (guestId() == null) {
            throw new IllegalArgumentException("guest_id is not set: guest_info.conf was not injected into the "
                    + "guest or not read (files read: " + files + ")");
        }
        if (datastoreManager() == null) {
            throw new IllegalArgumentException("datastore_manager is not set");
        }
        amqpUri();
        reportInterval();
        return this;
    }

    public String guestId() {
        return text("guest_id");
    }

    public String datastoreManager() {
        return text("datastore_manager");
    }

    public String datastoreVersion() {
        return text("datastore_version");
    }

    public String tenantId() {
        return text("tenant_id");
    }

    /** The per-instance RPC key; null when absent or empty, which means plaintext RPC. Never log it. */
    public String rpcKey() {
        return text("instance_rpc_encr_key");
    }

    public String transportUrl() {
        return text("transport_url");
    }

    /** {@code transport_url} as an AMQP URI. It holds the broker password: never log it. */
    public String amqpUri() {
        return TransportUrl.toAmqpUri(transportUrl());
    }

    public String controlExchange() {
        String value = text("control_exchange");
        return value == null ? "trove" : value;
    }

    public String conductorQueue() {
        String value = text("conductor_queue");
        return value == null ? "trove-conductor" : value;
    }

    /**
     * TroveJ extension for the local back end, where the agent process is the whole "VM": when the agent is
     * told to stop, the database stops with it, as it would when a VM powers off.
     */
    public boolean stopDatastoreOnExit() {
        String value = text("stop_datastore_on_exit");
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1") || value.equalsIgnoreCase("yes"));
    }

    public Duration reportInterval() {
        String value = text("report_interval");
        if (value == null) {
            return Duration.ofSeconds(30);
        }
        try {
            long seconds = Long.parseLong(value);
            if (seconds <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("report_interval must be a positive number of seconds, not '"
                    + value + "'");
        }
    }

    /**
     * The agent's own log file, as Trove's guest names it: {@code [DEFAULT] log_dir} (default {@code /var/log/trove})
     * and {@code log_file} (default {@code trove-guestagent.log}; an absolute one stands alone, as oslo.log joins
     * them). This agent writes its log to stdout/stderr; whoever starts it (systemd, the local back end) sends that
     * to this file, and says so here, so that the agent can publish it (the SYS guest log).
     */
    public Path logFile() {
        String dir = text("log_dir");
        String file = text("log_file");
        return Path.of(dir == null ? "/var/log/trove" : dir).resolve(file == null ? "trove-guestagent.log" : file);
    }

    /** A datastore section's values (empty when absent). */
    public Map<String, String> section(String name) {
        return ini.section(name);
    }

    /** A value from {@code [DEFAULT]}; empty values read as absent, as the agent treats every option. */
    public String text(String key) {
        String value = ini.get(IniFile.DEFAULT_SECTION, key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
