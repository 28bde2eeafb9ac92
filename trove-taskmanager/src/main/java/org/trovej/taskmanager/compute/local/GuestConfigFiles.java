package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.trovej.taskmanager.compute.GuestBootstrap;
import org.trovej.taskmanager.compute.GuestConfigText;

/**
 * Writes what Trove injects into a guest VM: {@code guest_info.conf} (who the guest is, its RPC key) and
 * {@code trove-guestagent.conf} (broker, exchange, heartbeat interval, and the datastore manager's section,
 * {@code [postgresql]}, {@code [mariadb]} or {@code [mysql]}, placing the database on this host). Both hold secrets
 * and are readable by their owner only.
 */
final class GuestConfigFiles {

    private static final String WRITTEN_BY = "local back end";

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
        // TroveJ: SIGTERM to the agent (powering the local "server" off) stops its database too
        // and Trove's log_dir/log_file name the file the agent's output is redirected into (GuestProcesses), which
        // the agent publishes as its SYS guest log
        Map<String, String> extra = Map.of("stop_datastore_on_exit", "true",
                "log_dir", layout.guestLog(id).getParent().toString(),
                "log_file", layout.guestLog(id).getFileName().toString());
        writeIni(layout.guestInfoConf(id), GuestConfigText.guestInfo(guest, WRITTEN_BY));
        writeIni(layout.guestAgentConf(id), GuestConfigText.agentConf(guest, properties.reportInterval(), extra,
                sectionName, datastore, WRITTEN_BY));
    }

    /**
     * After an upgrade: the guest's {@code datastore_version} and its datastore section (the new version's programs)
     * replaced in the files written at create, everything else in them (keys, broker) as it was.
     */
    void switchVersion(String guestId, String versionName, String sectionName, Map<String, String> datastore) {
        Path info = layout.guestInfoConf(guestId);
        Path agent = layout.guestAgentConf(guestId);
        try {
            writeIni(info, IniText.replaceKey(Files.readString(info), "DEFAULT", "datastore_version", versionName));
            writeIni(agent, IniText.replaceSection(Files.readString(agent), sectionName, datastore));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guest configuration of " + guestId, e);
        }
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
