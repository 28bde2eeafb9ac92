package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import org.trovej.taskmanager.compute.GuestBootstrap;

/**
 * Writes what Trove injects into a guest VM: {@code guest_info.conf} (who the guest is, its RPC key) and
 * {@code trove-guestagent.conf} (broker, exchange, heartbeat interval, and the {@code [postgresql]} section
 * placing the database on this host). Both hold secrets and are readable by their owner only.
 */
final class GuestConfigFiles {

    private final LocalLayout layout;
    private final LocalProperties properties;

    GuestConfigFiles(LocalLayout layout, LocalProperties properties) {
        this.layout = layout;
        this.properties = properties;
    }

    void write(GuestBootstrap guest, String address, PostgresInstallation postgres, String runAs) {
        String id = guest.guestId();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("guest_id", id);
        info.put("datastore_manager", guest.datastoreManager());
        info.put("datastore_version", guest.datastoreVersion());
        info.put("tenant_id", guest.tenantId());
        if (guest.instanceKey() != null) {
            info.put("instance_rpc_encr_key", guest.instanceKey());
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("transport_url", guest.transportUrl());
        defaults.put("control_exchange", guest.controlExchange());
        defaults.put("conductor_queue", guest.conductorQueue());
        defaults.put("report_interval", Long.toString(properties.reportInterval().toSeconds()));
        // TroveJ: SIGTERM to the agent (powering the local "server" off) stops its database too
        defaults.put("stop_datastore_on_exit", "true");
        Map<String, String> postgresql = new LinkedHashMap<>();
        postgresql.put("bind_host", address);
        postgresql.put("port", Integer.toString(properties.databasePort()));
        postgresql.put("data_dir", layout.volumeDir(id).toString());
        postgresql.put("bin_dir", postgres.binDir().toString());
        if (runAs != null) {
            postgresql.put("run_as", runAs);
        }
        postgresql.put("socket_dir", layout.socketDir(id).toString());
        // TroveJ: initdb once per PostgreSQL version on this host, then every new instance copies that cluster
        postgresql.put("template_dir", layout.templatesDir().toString());

        writeIni(layout.guestInfoConf(id), "# Written by the TroveJ task manager (local back end)\n"
                + section("DEFAULT", info));
        writeIni(layout.guestAgentConf(id), "# Written by the TroveJ task manager (local back end)\n"
                + section("DEFAULT", defaults) + "\n" + section("postgresql", postgresql));
    }

    private static String section(String name, Map<String, String> values) {
        StringBuilder text = new StringBuilder("[").append(name).append("]\n");
        values.forEach((k, v) -> {
            if (v != null) {
                if (v.contains("\n")) {
                    throw new IllegalArgumentException(k + " may not span lines");
                }
                text.append(k).append(" = ").append(v).append('\n');
            }
        });
        return text.toString();
    }

    private static void writeIni(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            // created private from the start: the key and the broker password never sit in a readable file
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
