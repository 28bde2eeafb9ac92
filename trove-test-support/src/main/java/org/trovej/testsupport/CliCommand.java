package org.trovej.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real client command (openstack, trove, ...) run for a test: its exit code, stdout and stderr. troveclient's
 * {@code openstack database|datastore} commands run in a resident Python process ({@link ResidentOpenStack}) unless
 * {@code TROVEJ_TEST_RESIDENT_CLI=0}.
 */
public final class CliCommand {

    /** What the command printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {

        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + stdout + "\nstderr: " + stderr, e);
            }
        }

        /** This result, or an assertion failure with everything the command printed. */
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private CliCommand() {
    }

    public static Result run(List<String> command) {
        return run(command, null);
    }

    /**
     * @param osEnvironment when not null, the command's only OS_* variables (none of the caller's own)
     */
    public static Result run(List<String> command, Map<String, String> osEnvironment) {
        if (!command.isEmpty() && command.get(0).equals("openstack") && ResidentOpenStack.serves(command)
                && ResidentOpenStack.enabled()) {
            return ResidentOpenStack.run(command.subList(1, command.size()), osEnvironment, TIMEOUT);
        }
        return runProcess(command, osEnvironment);
    }

    /** The command as a process of its own, whatever it is (e.g. README's commands, exactly as a reader runs them). */
    public static Result runProcess(List<String> command, Map<String, String> osEnvironment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (osEnvironment != null) {
            builder.environment().keySet().removeIf(k -> k.startsWith("OS_"));
            builder.environment().putAll(osEnvironment);
        }
        try {
            Process p = builder.start();
            p.getOutputStream().close();
            // both streams at once: a command that fills one while we wait on the other would never end
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(p.getErrorStream()));
            String out = text(p.getInputStream());
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + " (scripts/ensure-services installs the clients)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String text(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
