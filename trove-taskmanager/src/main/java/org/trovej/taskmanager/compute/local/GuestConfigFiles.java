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
 * {@code trove-guestagent.conf} (broker, exchange, heartbeat interval, and the datastore manager's section,
 * {@code [postgresql]}, {@code [mariadb]} or {@code [mysql]}, placing the database on this host). Both hold secrets
 * and are readable by their owner only.
 */
final class GuestConfigFiles {

    private final LocalLayout layout;
    private final LocalProperties properties;

    GuestConfigFiles(LocalLayout layout, LocalProperties properties) {
        this.layout = layout;
        this.properties = properties;
    }

    /**
     * @param sectionName the datastore manager, whose section the guest reads
     * @param datastore   that section's values
     */
    void write(GuestBootstrap guest, String sectionName, Map<String, String> datastore) {
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

        writeIni(layout.guestInfoConf(id), "# Written by the TroveJ task manager (local back end)\n"
                + section("DEFAULT", info));
        writeIni(layout.guestAgentConf(id), "# Written by the TroveJ task manager (local back end)\n"
                + section("DEFAULT", defaults) + "\n" + section(sectionName, datastore));
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
