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
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.trovej.common.crypto.TroveCrypto;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.os.OsUser;
import org.trovej.testsupport.TestInfrastructure;

/**
 * One MySQL-family instance under test: its id and key, its own loopback address (port 3306 free there), a
 * volume directory owned by the database user, and the two config files the control plane would inject. Its
 * server is killed at the latest when the JVM exits, so no test leaves one behind.
 */
final class MariaDbInstance {

    static final String RUN_AS = OsUser.isRoot() ? "mysql" : OsUser.current();
    static final int PORT = 3306;

    final String id = UUID.randomUUID().toString();
    final String key = TroveCrypto.newInstanceKey();
    final String manager;
    final String bindHost = freeLoopbackAddress();
    final Path dataDir;
    final Path configDir;
    private GuestAgent agent;

    /**
     * @param manager    the datastore manager ({@code mariadb} or {@code mysql}), also the config section
     * @param extraLines more lines for that section
     */
    MariaDbInstance(Path base, String exchange, String manager, String extraLines) throws IOException {
        this.manager = manager;
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
                datastore_manager = %s
                datastore_version = 10.11
                tenant_id = tenant-1
                instance_rpc_encr_key = %s
                """.formatted(id, manager, key));
        Files.writeString(configDir.resolve("trove-guestagent.conf"), """
                [DEFAULT]
                transport_url = %s
                control_exchange = %s
                report_interval = 2

                [%s]
                bind_host = %s
                data_dir = %s
                %s
                """.formatted(TestInfrastructure.get().osloTransportUrl(), exchange, manager, bindHost, dataDir,
                extraLines == null ? "" : extraLines));
        Runtime.getRuntime().addShutdownHook(new Thread(this::killDatabaseQuietly, "kill-mariadb-" + id));
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

    String jdbcUrl(String database) {
        return "jdbc:mariadb://" + bindHost + ":" + PORT + "/" + (database == null ? "" : database)
                + "?connectTimeout=5000&sslMode=disable";
    }

    Connection connect(String database, String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** Connects from {@code source}, one of this machine's loopback addresses, as a client there would. */
    Connection connectFrom(String source, String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("localSocketAddress", source);
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    boolean portOpen() {
        return listening(bindHost);
    }

    Optional<ProcessHandle> server() {
        try {
            long pid = Long.parseLong(Files.readString(dataDir.resolve("mariadbd.pid")).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** What a host crash does to the database: gone at once (SIGKILL), no clean shutdown. */
    void killDatabase() throws InterruptedException {
        Optional<ProcessHandle> server = server();
        if (server.isEmpty()) {
            return;
        }
        server.get().destroyForcibly();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private void killDatabaseQuietly() {
        try {
            killDatabase();
        } catch (InterruptedException | RuntimeException e) {
            // the JVM is going away
        }
    }

    /** Stops the agent and whatever server it left running, whatever state the test left things in. */
    void cleanUp() {
        try {
            stopAgent();
        } catch (RuntimeException e) {
            // keep going: the database must not outlive the test
        }
        try {
            killDatabase();
        } catch (InterruptedException | RuntimeException e) {
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
        throw new IllegalStateException("no free 127.0.x.y:" + PORT + " found");
    }

    private static boolean listening(String address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            List<String> result = new java.util.ArrayList<>();
            while (rs.next()) {
                result.add(rs.getString(1));
            }
            return result;
        }
    }
}
