package org.trovej.allinone.acceptance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.trovej.allinone.AllInOneApplication;
import org.trovej.testsupport.CliCommand;
import org.trovej.testsupport.KeystoneFixture;

/**
 * The all-in-one in keystone mode behind the real Keystone of scripts/keystone, and Debian's {@code openstack} and
 * {@code trove} commands run as its users with password authentication, finding TroveJ through the catalog.
 * <p>
 * scripts/keystone registers TroveJ's endpoints (database, compute, object-store) at 127.0.0.1:8779. When something
 * else holds that port the server runs on another one and the database commands are pointed at it explicitly;
 * commands that take the catalog's object-store endpoint as it is (troveclient's {@code log tail} and {@code log
 * save}) then need {@link #onCatalogPort()}.
 */
final class KeystoneAllInOne implements AutoCloseable {

    static final int CATALOG_PORT = 8779;

    private final KeystoneFixture keystone;
    private final Path stateDir;
    private final ConfigurableApplicationContext trovej;
    /** Null when TroveJ listens on the catalog's port; else the per-project endpoint override. */
    private final String endpointBase;

    private KeystoneAllInOne(KeystoneFixture keystone, Path stateDir, ConfigurableApplicationContext trovej,
                             String endpointBase) {
        this.keystone = keystone;
        this.stateDir = stateDir;
        this.trovej = trovej;
        this.endpointBase = endpointBase;
    }

    static KeystoneAllInOne start(String name) throws IOException {
        OpenStackCli.requireInstalled();
        return start(name, KeystoneFixture.start());
    }

    /** The same behind {@code keystone} (e.g. a Keystone of the test's own, {@link KeystoneFixture#startOwn}). */
    static KeystoneAllInOne start(String name, KeystoneFixture keystone) throws IOException {
        OpenStackCli.requireInstalled();
        Path stateDir = Files.createTempDirectory(name,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port = free(CATALOG_PORT) ? CATALOG_PORT : 0;
        KeystoneFixture.User service = keystone.user("trove");
        ConfigurableApplicationContext trovej = AllInOneApplication.application().run(
                "--server.port=" + port,
                "--management.server.port=0",
                "--trovej.state-dir=" + stateDir,
                "--trovej.embedded.postgres-port=0",
                "--trovej.embedded.amqp-port=0",
                "--trovej.local.report-interval=2s",
                "--trovej.auth.strategy=keystone",
                "--trovej.keystone.auth-url=" + keystone.authUrl(),
                "--trovej.keystone.username=" + service.name(),
                "--trovej.keystone.password=" + service.password(),
                "--trovej.keystone.project-name=" + service.project());
        int actual = ((ServletWebServerApplicationContext) trovej).getWebServer().getPort();
        return new KeystoneAllInOne(keystone, stateDir, trovej,
                actual == CATALOG_PORT ? null : "http://127.0.0.1:" + actual + "/v1.0/");
    }

    KeystoneFixture keystone() {
        return keystone;
    }

    /** Whether this server is the one the catalog names (nothing else held 8779 when it started). */
    boolean onCatalogPort() {
        return endpointBase == null;
    }

    CliCommand.Result openstack(String user, String... args) {
        List<String> command = new ArrayList<>(List.of("openstack"));
        command.addAll(List.of(args));
        return CliCommand.run(command, environment(user, "OS_DATABASE_ENDPOINT_OVERRIDE"));
    }

    /** The legacy shell: it reads the same OS_* variables; an override is its --bypass-url. */
    CliCommand.Result trove(String user, String... args) {
        List<String> command = new ArrayList<>(List.of("trove"));
        Map<String, String> env = environment(user, null);
        if (endpointBase != null) {
            command.addAll(List.of("--bypass-url", endpointBase + keystone.projectId(user)));
        }
        command.addAll(List.of(args));
        return CliCommand.run(command, env);
    }

    private Map<String, String> environment(String user, String overrideVariable) {
        Map<String, String> env = new HashMap<>(keystone.user(user).environment());
        if (endpointBase != null && overrideVariable != null) {
            env.put(overrideVariable, endpointBase + keystone.projectId(user));
        }
        return env;
    }

    @Override
    public void close() {
        trovej.close();
        FileSystemUtils.deleteRecursively(stateDir.toFile());
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
