package org.trovej.guestagent.os;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the datastore's own tools (initdb, pg_ctl, ...), as the datastore's OS user when the agent is root.
 * <p>
 * Output goes to temporary files rather than pipes: {@code pg_ctl start} leaves a server behind, and a server
 * that inherited our pipe would keep us waiting for an end-of-file that never comes. Messages are forced to
 * English ({@code LC_MESSAGES=C}) because they end up in faults the operator reads.
 */
public final class Commands {

    private final String runAs;
    private final boolean switchUser;

    /**
     * @param runAs the OS user the tools run as. When the agent is root it switches with
     *              {@code runuser -u <user> --}; otherwise it can only run them as itself.
     */
    public Commands(String runAs) {
        this.runAs = runAs;
        boolean root = OsUser.isRoot();
        if (root && "root".equals(runAs)) {
            throw new IllegalArgumentException("run_as must not be root: database servers refuse to run as root");
        }
        if (!root && !runAs.equals(OsUser.current())) {
            throw new IllegalArgumentException("run_as is '" + runAs + "' but the agent runs as '" + OsUser.current()
                    + "' without root, so it cannot switch users");
        }
        this.switchUser = root;
    }

    private Commands() {
        this.runAs = OsUser.current();
        this.switchUser = false;
    }

    /**
     * The agent's own system tools (mkfs, mount, ...), run as the agent's user: on a VM that is root, which
     * formatting and mounting need; a database tool must go through {@link #Commands(String)} instead.
     */
    public static Commands asAgent() {
        return new Commands();
    }

    public String runAs() {
        return runAs;
    }

    /**
     * A process builder for {@code command} as the datastore user in {@code workDir}, with English messages, for a
     * caller that streams the process's input or output itself (a backup tool's tar stream).
     */
    public ProcessBuilder builder(List<String> command, Path workDir) {
        List<String> full = new ArrayList<>();
        if (switchUser) {
            full.addAll(List.of("runuser", "-u", runAs, "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Map<String, String> env = pb.environment();
        env.remove("LC_ALL");
        env.put("LC_MESSAGES", "C");
        return pb;
    }

    /** Runs {@code command} as the datastore user in {@code workDir}, feeding {@code stdin} if not null. */
    public CommandResult run(List<String> command, Path workDir, String stdin, Duration timeout) {
        List<String> full = new ArrayList<>();
        if (switchUser) {
            full.addAll(List.of("runuser", "-u", runAs, "--"));
        }
        full.addAll(command);
        String shown = String.join(" ", command);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("trove-guestagent-", ".out");
            err = Files.createTempFile("trove-guestagent-", ".err");
            ProcessBuilder pb = new ProcessBuilder(full)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                            : ProcessBuilder.Redirect.PIPE);
            if (workDir != null) {
                // the datastore user may not be allowed into the agent's working directory
                pb.directory(workDir.toFile());
            }
            Map<String, String> env = pb.environment();
            env.remove("LC_ALL");
            env.put("LC_MESSAGES", "C");
            Process process = pb.start();
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CommandFailedException(shown + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new CommandResult(shown, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandFailedException("could not run " + shown + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while running " + shown, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
