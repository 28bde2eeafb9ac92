package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.trovej.taskmanager.compute.ComputeException;

/**
 * The guest agent's fat jar: {@code trovej.local.guest-agent-jar}, else the newest
 * {@code trove-guestagent/target/trove-guestagent-*-all.jar} found from the working directory upwards (the
 * project checkout that {@code scripts/trovej} and the tests run in).
 * <p>
 * Guests run a copy kept in the state directory, one per jar version: a JVM loads classes from its jar
 * lazily, and a rebuild replacing the jar under running guests would break them at their next new class.
 */
public class GuestAgentJar {

    private static final String MODULE_TARGET = "trove-guestagent/target";

    private final Path configured;
    private final Path copies;

    public GuestAgentJar(Path configured, Path copies) {
        this.configured = configured;
        this.copies = copies;
    }

    /** The copy of the jar guests are started from; fails naming where the jar was looked for. */
    public Path require() {
        Path jar = locate();
        try {
            String name = jar.getFileName().toString().replaceAll("\\.jar$", "") + "-" + Files.size(jar) + "-"
                    + Files.getLastModifiedTime(jar).toMillis() + ".jar";
            Path copy = copies.resolve(name);
            if (!Files.isRegularFile(copy)) {
                Files.createDirectories(copies);
                Path tmp = Files.createTempFile(copies, ".copy-", ".jar");
                Files.copy(jar, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new ComputeException("cannot copy the guest agent jar " + jar + " into " + copies + ": "
                    + e.getMessage(), e);
        }
    }

    /** The jar itself; fails naming where it was looked for. */
    public Path locate() {
        if (configured != null) {
            Path jar = configured.toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new ComputeException("the guest agent jar " + jar + " does not exist "
                        + "(trovej.local.guest-agent-jar)");
            }
            return jar;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Optional<Path> jar = newestIn(dir.resolve(MODULE_TARGET));
            if (jar.isPresent()) {
                return jar.get();
            }
        }
        throw new ComputeException("no guest agent jar: " + MODULE_TARGET + "/trove-guestagent-*-all.jar not "
                + "found from " + start + " upwards; build it (mvn -pl trove-guestagent package) or set "
                + "trovej.local.guest-agent-jar");
    }

    private static Optional<Path> newestIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("trove-guestagent-") && name.endsWith("-all.jar");
            }).max(Comparator.comparing(GuestAgentJar::modified));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
