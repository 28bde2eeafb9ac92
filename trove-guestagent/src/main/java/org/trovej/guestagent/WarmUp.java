package org.trovej.guestagent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.config.IniFile;

/**
 * {@code --warm-up --config-file ...}: runs an agent's start-up for real, under a throwaway identity and on an
 * empty volume, then stops and leaves nothing behind (its queues are deleted, it prepares nothing, it sends no
 * heartbeat for a real instance). A host that starts many agents (the local back end) runs this once per agent
 * build with {@code -XX:ArchiveClassesAtExit} and starts every agent from the resulting class-data-sharing
 * archive: the classes an agent needs on its way to serving are then mapped, not loaded and verified, which
 * takes a good part of the JVM's share out of an instance's create time.
 */
final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private WarmUp() {
    }

    static void run(String[] configArgs) throws IOException {
        GuestConfig real = GuestConfig.fromArgs(configArgs);
        String id = "warm-up-" + UUID.randomUUID();
        Path volume = Files.createTempDirectory("trovej-warm-up");
        String section = real.datastoreManager() == null ? "postgresql" : real.datastoreManager();
        GuestConfig config = real.overlay(IniFile.parse(List.of(
                "[DEFAULT]", "guest_id = " + id, "instance_rpc_encr_key = ", "stop_datastore_on_exit = false",
                "[" + section + "]", "data_dir = " + volume, "mount_point = " + volume), "warm-up"));
        try {
            GuestAgent agent = new GuestAgent(config).start(Duration.ofSeconds(30));
            agent.stopAndDeleteQueues();
            loadDatabaseDriverPaths();
            log.info("Warm-up done");
        } finally {
            try (Stream<Path> files = Files.walk(volume)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * The JDBC classes the agent's first connection loads, for each engine's driver (PostgreSQL, MariaDB);
     * nothing listens on port 1, so these fail at once.
     */
    private static void loadDatabaseDriverPaths() {
        for (String url : List.of("jdbc:postgresql://127.0.0.1:1/warmup?connectTimeout=1",
                "jdbc:mariadb://127.0.0.1:1/warmup?connectTimeout=1000")) {
            try {
                DriverManager.getConnection(url, "warmup", "warmup").close();
            } catch (SQLException expected) {
                log.debug("warm-up connection refused, as expected");
            }
        }
    }
}
