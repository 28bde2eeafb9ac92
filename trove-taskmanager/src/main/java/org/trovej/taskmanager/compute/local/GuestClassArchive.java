package org.trovej.taskmanager.compute.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing archive of the guest agent, made once per agent build, JVM and JVM options on this host
 * ({@code <state-dir>/cds/agent-<hash>.jsa}) by running the agent's {@code --warm-up} under
 * {@code -XX:ArchiveClassesAtExit}; every guest started after that starts with {@code -XX:SharedArchiveFile}.
 * On this 2-core machine that takes an agent's start from ~0.28 s to ~0.16 s, on the path of every create.
 * The archive is made in the background, prompted by the first guest start, so no create waits for it; if it
 * cannot be made, guests start without it: it is an optimisation, never a requirement.
 */
class GuestClassArchive {

    private static final Logger log = LoggerFactory.getLogger(GuestClassArchive.class);
    private static final long WARM_UP_SECONDS = 60;

    private final Path dir;
    private final boolean enabled;
    private boolean failed;
    private boolean creating;

    GuestClassArchive(Path dir, boolean enabled) {
        this.dir = dir;
        this.enabled = enabled;
    }

    /**
     * The JVM options that start a guest from the archive; empty while there is none yet (its making is then
     * started in the background), when sharing is off, or when the archive cannot be made.
     *
     * @param java       the java command guests run with
     * @param jvmOptions the guests' own JVM options (part of the archive's identity)
     * @param jar        the guest agent jar
     * @param configArgs a guest's {@code --config-file} arguments, for the warm-up's broker and datastore
     */
    synchronized List<String> jvmOptions(String java, List<String> jvmOptions, Path jar, List<String> configArgs) {
        if (!enabled || failed) {
            return List.of();
        }
        Path archive;
        try {
            archive = dir.resolve("agent-" + identity(java, jvmOptions, jar) + ".jsa");
        } catch (IOException e) {
            log.warn("No class-data-sharing for guests: cannot read {}: {}", jar, e.getMessage());
            failed = true;
            return List.of();
        }
        if (Files.isRegularFile(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive);
        }
        if (!creating) {
            creating = true;
            Thread maker = new Thread(() -> {
                boolean made = create(archive, java, jvmOptions, jar, configArgs);
                synchronized (this) {
                    creating = false;
                    failed = !made;
                }
            }, "guest-class-archive");
            maker.setDaemon(true);
            maker.start();
        }
        return List.of();
    }

    private boolean create(Path archive, String java, List<String> jvmOptions, Path jar, List<String> configArgs) {
        long started = System.nanoTime();
        Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
        Path logFile = archive.resolveSibling(archive.getFileName() + ".log");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(tmp);
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(jvmOptions);
            command.add("-XX:ArchiveClassesAtExit=" + tmp);
            command.add("-Xlog:cds=off");
            command.add("-jar");
            command.add(jar.toString());
            command.add("--warm-up");
            command.addAll(configArgs);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            // the warm-up must not outlive the task manager, whatever it is doing
            Thread reaper = new Thread(process::destroyForcibly, "guest-class-archive-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            boolean finished;
            try {
                finished = process.waitFor(WARM_UP_SECONDS, TimeUnit.SECONDS);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(reaper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
            if (!finished) {
                process.destroyForcibly();
                log.warn("No class-data-sharing for guests: the warm-up did not finish in {} s (see {})",
                        WARM_UP_SECONDS, logFile);
                return false;
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(tmp)) {
                log.warn("No class-data-sharing for guests: the warm-up exited {} (see {})", process.exitValue(),
                        logFile);
                return false;
            }
            Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(logFile);
            log.info("Guest agent class-data-sharing archive {} made in {} ms", archive,
                    (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (IOException e) {
            log.warn("No class-data-sharing for guests: {}", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What the archive depends on: the agent build, the JVM and the options it runs with. */
    private static String identity(String java, List<String> jvmOptions, Path jar) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String text = jar.toAbsolutePath() + "\n" + Files.size(jar) + "\n" + Files.getLastModifiedTime(jar)
                    + "\n" + java + "\n" + System.getProperty("java.vm.version") + "\n" + String.join(" ", jvmOptions);
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
