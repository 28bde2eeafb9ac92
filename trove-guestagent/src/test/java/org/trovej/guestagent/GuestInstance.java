package org.trovej.guestagent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.trovej.common.crypto.TroveCrypto;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.os.OsUser;
import org.trovej.testsupport.TestInfrastructure;

/**
 * One instance under test: its id and key, its own loopback address, a volume directory owned by the
 * database user, and the two config files the control plane would inject.
 */
final class GuestInstance {

    static final String RUN_AS = OsUser.isRoot() ? "postgres" : OsUser.current();
    static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");

    final String id = UUID.randomUUID().toString();
    /** The instance's RPC key; null for an instance without secure messaging (plaintext RPC). */
    final String key;
    final String bindHost = freeLoopbackAddress();
    final Path dataDir;
    final Path configDir;
    private GuestAgent agent;

    /**
     * @param extraPostgresLines more {@code [postgresql]} lines (e.g. a bin_dir)
     * @param encrypted          false: an empty instance_rpc_encr_key, i.e. plaintext RPC
     */
    GuestInstance(Path base, String exchange, int reportIntervalSeconds, String extraPostgresLines,
                  boolean encrypted) throws IOException {
        key = encrypted ? TroveCrypto.newInstanceKey() : null;
        dataDir = base.resolve(id).resolve("volume");
        configDir = base.resolve(id).resolve("etc");
        Files.createDirectories(configDir);
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir.getParent(),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        OsUser.ownAndChmod(dataDir, RUN_AS, "rwx------");
        Files.writeString(configDir.resolve("guest_info.conf"), """
                [DEFAULT]
                guest_id = %s
                datastore_manager = postgresql
                datastore_version = 15
                tenant_id = tenant-1
                instance_rpc_encr_key = %s
                """.formatted(id, key == null ? "" : key));
        Files.writeString(configDir.resolve("trove-guestagent.conf"), """
                [DEFAULT]
                transport_url = %s
                control_exchange = %s
                report_interval = %d

                [postgresql]
                bind_host = %s
                data_dir = %s
                %s
                """.formatted(TestInfrastructure.get().osloTransportUrl(), exchange, reportIntervalSeconds, bindHost,
                dataDir, extraPostgresLines == null ? "" : extraPostgresLines));
    }

    String[] args() {
        return new String[] {"--config-file", configDir.resolve("guest_info.conf").toString(),
                "--config-file", configDir.resolve("trove-guestagent.conf").toString()};
    }

    GuestAgent startAgent() {
        return startAgent(created -> { });
    }

    /** Starts the agent after {@code beforeStart} has set up the agent as created (e.g. its backup store). */
    GuestAgent startAgent(java.util.function.Consumer<GuestAgent> beforeStart) {
        GuestAgent created = new GuestAgent(GuestConfig.fromArgs(args()));
        beforeStart.accept(created);
        agent = created.start(Duration.ofSeconds(20));
        return agent;
    }

    void stopAgent() {
        if (agent != null) {
            agent.stop();
            agent = null;
        }
    }

    Path pgData() {
        return dataDir.resolve("data");
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + bindHost + ":5432/" + database + "?connectTimeout=5&sslmode=disable";
    }

    Connection connect(String database, String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    boolean portOpen() {
        return listening(bindHost);
    }

    /** What a host crash does to the database: gone at once, no clean shutdown. */
    void killDatabase() throws Exception {
        if (!Files.exists(pgData().resolve("postmaster.pid"))) {
            return;
        }
        List<String> command = new ArrayList<>();
        if (OsUser.isRoot()) {
            command.addAll(List.of("runuser", "-u", RUN_AS, "--"));
        }
        command.addAll(List.of(PG_BIN.resolve("pg_ctl").toString(), "stop", "-D", pgData().toString(), "-m",
                "immediate", "-w", "-t", "30"));
        Process p = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(40, TimeUnit.SECONDS);
    }

    /** Stops the agent and whatever database it left running, whatever state the test left things in. */
    void cleanUp() {
        try {
            stopAgent();
        } catch (RuntimeException e) {
            // keep going: the database must not outlive the test
        }
        try {
            killDatabase();
        } catch (Exception e) {
            System.err.println("could not stop the database of " + id + ": " + e);
        }
    }

    private static String freeLoopbackAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            String address = "127.0." + random.nextInt(10, 251) + "." + random.nextInt(2, 251);
            if (!listening(address)) {
                return address;
            }
        }
        throw new IllegalStateException("no free 127.0.x.y:5432 found");
    }

    private static boolean listening(String address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, 5432), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
