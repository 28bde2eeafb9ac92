package org.trovej.taskmanager.compute.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.process.Processes;

/**
 * The guest agent processes: the local back end's "servers". A guest is recognised by its pid file and by its
 * command line naming the instance's configuration, so a recycled pid is never taken for a guest. Powering
 * off is SIGTERM (the guest stops its database, {@code stop_datastore_on_exit}), then SIGKILL after the stop
 * timeout; a database left behind by a killed guest is stopped from its pid file (each engine's, {@link LocalEngine}).
 */
public class GuestProcesses {

    private static final Logger log = LoggerFactory.getLogger(GuestProcesses.class);

    private final LocalLayout layout;
    private final LocalProperties properties;
    private final GuestAgentJar jar;
    private final LocalEngines engines;
    /** Guests this JVM started: their exit codes explain a guest that died. */
    private final Map<String, Process> children = new ConcurrentHashMap<>();

    private final GuestClassArchive classArchive;

    public GuestProcesses(LocalLayout layout, LocalProperties properties, GuestAgentJar jar, LocalEngines engines) {
        this.layout = layout;
        this.properties = properties;
        this.jar = jar;
        this.engines = engines;
        this.classArchive = new GuestClassArchive(layout.stateDir().resolve("cds"),
                properties.classDataSharing());
    }

    /** The instance's running guest agent, if any. */
    public Optional<ProcessHandle> running(String instanceId) {
        Path pidFile = layout.guestPid(instanceId);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        String marker = layout.guestInfoConf(instanceId).toString();
        return ProcessHandle.of(pid).filter(Processes::alive)
                .filter(p -> commandLine(p).contains(marker));
    }

    /** Starts the guest agent unless it runs already. */
    public ProcessHandle start(String instanceId) {
        Optional<ProcessHandle> existing = running(instanceId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path agentJar = jar.require();
        List<String> configArgs = List.of("--config-file", layout.guestInfoConf(instanceId).toString(),
                "--config-file", layout.guestAgentConf(instanceId).toString());
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(properties.guestJvmOptions());
        command.addAll(classArchive.jvmOptions(javaCommand(), properties.guestJvmOptions(), agentJar, configArgs));
        command.add("-jar");
        command.add(agentJar.toString());
        command.addAll(configArgs);
        File log = layout.guestLog(instanceId).toFile();
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            // glibc keeps a malloc arena per core otherwise: megabytes of RSS for nothing in a process this small
            // (the operator's own setting, inherited, wins)
            builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            Process process = builder
                    .directory(layout.instanceDir(instanceId).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            children.put(instanceId, process);
            writePid(instanceId, process.pid());
            GuestProcesses.log.info("Guest agent of instance {} started (pid {})", instanceId, process.pid());
            return process.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the guest agent of " + instanceId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the guest (and so its database), killing what does not stop in time.
     *
     * @return whether a guest was running
     */
    public boolean stop(String instanceId) {
        Optional<ProcessHandle> guest = running(instanceId);
        guest.ifPresent(p -> {
            log.info("Stopping the guest agent of instance {} (pid {})", instanceId, p.pid());
            terminate(p, "guest agent of " + instanceId);
        });
        stopOrphanDatabase(instanceId);
        children.remove(instanceId);
        try {
            Files.deleteIfExists(layout.guestPid(instanceId));
        } catch (IOException e) {
            log.debug("cannot remove pid file of {}: {}", instanceId, e.getMessage());
        }
        return guest.isPresent();
    }

    /** Why the guest is not running, as far as this JVM knows (its exit code), or null. */
    public String exitReason(String instanceId) {
        Process process = children.get(instanceId);
        if (process == null || process.isAlive()) {
            return null;
        }
        return "the guest agent process exited with status " + process.exitValue();
    }

    /** The last {@code lines} lines of the guest's log. */
    public List<String> logTail(String instanceId, int lines) {
        Path logFile = layout.guestLog(instanceId);
        if (!Files.isRegularFile(logFile)) {
            return List.of();
        }
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return List.of("(cannot read " + logFile + ": " + e.getMessage() + ")");
        }
    }

    /**
     * A database whose guest was killed keeps running, since nothing told it to stop; stop it with the signal
     * of its own clean shutdown, and kill it if that does not work either.
     */
    private void stopOrphanDatabase(String instanceId) {
        for (LocalEngine engine : engines.all()) {
            stopOrphanDatabase(instanceId, engine.serverPidFile(layout, instanceId));
        }
    }

    private void stopOrphanDatabase(String instanceId, LocalEngine.ServerPidFile server) {
        Path pidFile = server.file();
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(Processes::alive)
                    .filter(p -> commandLine(p).contains(server.marker()));
            if (process.isEmpty()) {
                return;
            }
            log.warn("The database of instance {} outlived its guest agent: stopping it (pid {}, {})", instanceId,
                    pid, pidFile);
            signal(pid, server.stopSignal());
            if (!Processes.awaitExit(process.get(), properties.stopTimeout())) {
                process.get().destroyForcibly();
                Processes.awaitExit(process.get(), Duration.ofSeconds(10));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not check the database of instance {}: {}", instanceId, e.toString());
        }
    }

    private void terminate(ProcessHandle process, String what) {
        process.destroy(); // SIGTERM
        if (Processes.awaitExit(process, properties.stopTimeout())) {
            return;
        }
        log.warn("The {} did not stop within {} s: killing it", what, properties.stopTimeout().toSeconds());
        process.destroyForcibly();
        Processes.awaitExit(process, Duration.ofSeconds(10));
    }


    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writePid(String instanceId, long pid) throws IOException {
        Path pidFile = layout.guestPid(instanceId);
        Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
        Files.writeString(tmp, pid + "\n");
        Files.move(tmp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String javaCommand() {
        if (properties.javaCommand() != null && !properties.javaCommand().isBlank()) {
            return properties.javaCommand();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The process's command line; from /proc when the JDK cannot tell (another user's process). */
    static String commandLine(ProcessHandle process) {
        Optional<String> fromJdk = process.info().commandLine();
        if (fromJdk.isPresent()) {
            return fromJdk.get();
        }
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
