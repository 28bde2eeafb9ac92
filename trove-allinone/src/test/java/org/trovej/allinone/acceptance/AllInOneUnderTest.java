package org.trovej.allinone.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.trovej.allinone.AllInOneApplication;

/**
 * The all-in-one an acceptance test drives: the embedded default (embedded PostgreSQL and broker on free ports,
 * the local back end reporting every 2 s) on a fresh state directory, with the API on a free port. Closing it
 * powers its local servers off (and their databases with them) and removes the state directory.
 */
final class AllInOneUnderTest implements AutoCloseable {

    private final Path stateDir;
    private final ConfigurableApplicationContext context;

    private AllInOneUnderTest(Path stateDir, ConfigurableApplicationContext context) {
        this.stateDir = stateDir;
        this.context = context;
    }

    /**
     * Starts the all-in-one on a new temporary state directory named with {@code prefix}; {@code extraArgs}
     * (e.g. {@code --trovej.some.property=value}) come after the standard arguments.
     */
    static AllInOneUnderTest start(String prefix, String... extraArgs) {
        Path stateDir;
        try {
            // the databases run as another user (postgres when root): the state dir must be searchable by it
            stateDir = Files.createTempDirectory(prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--trovej.state-dir=" + stateDir,
                "--trovej.embedded.postgres-port=0",
                "--trovej.embedded.amqp-port=0",
                "--trovej.local.report-interval=2s",
                "--trovej.conductor.inventory-interval=2s"));
        args.addAll(List.of(extraArgs));
        try {
            return new AllInOneUnderTest(stateDir, AllInOneApplication.application().run(args.toArray(String[]::new)));
        } catch (RuntimeException | Error e) {
            // no one gets a handle to close: the directory goes here
            FileSystemUtils.deleteRecursively(stateDir.toFile());
            throw e;
        }
    }

    int port() {
        return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The actuator's port (health, Prometheus metrics), chosen at start-up. */
    int managementPort() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port"));
    }

    Path stateDir() {
        return stateDir;
    }

    /** The files of the local object store that hold a backup's bytes (its objects and segments, no metadata). */
    List<Path> storedObjects(String backupId) {
        Path root = stateDir.resolve("objects");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().contains(backupId))
                    .filter(p -> !p.getFileName().toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Trove API of a project without Keystone: {@code http://127.0.0.1:<port>/v1.0/<project>}. */
    String api(String project) {
        return "http://127.0.0.1:" + port() + "/v1.0/" + project;
    }

    /** Debian's openstack client pointed at {@link #api(String)}. */
    OpenStackCli cli(String project) {
        return new OpenStackCli(api(project));
    }

    /** For a test that reads the all-in-one's own beans (e.g. its database). */
    ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            FileSystemUtils.deleteRecursively(stateDir.toFile());
        }
    }
}
