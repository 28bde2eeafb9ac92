package org.trovej.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's own scripts ({@code scripts/keystone}, {@code scripts/openstack-aio}) run by tests: found from the
 * working directory upwards (a module of the checkout), run from the checkout's root, and any failure is the
 * test's failure with the script's whole output, never a skip.
 */
final class CheckoutScripts {

    private CheckoutScripts() {
    }

    /** {@code scripts/<name>} of the checkout the tests run in. */
    static Path find(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts").resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("scripts/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Runs the script; answers its output (stdout and stderr together).
     *
     * @param needed what the test needs it for, for the failure message
     */
    static String run(Path script, int timeoutSeconds, String needed, String... args) {
        return run(script, java.util.Map.of(), timeoutSeconds, needed, args);
    }

    /** The same, with {@code environment} added to the script's. */
    static String run(Path script, java.util.Map<String, String> environment, int timeoutSeconds, String needed,
                      String... args) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        String shown = "scripts/" + script.getFileName() + " " + String.join(" ", args);
        try {
            Path log = Files.createTempFile(script.getFileName().toString(), ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(script.getParent().getParent().toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().putAll(environment);
                Process p = builder.start();
                p.getOutputStream().close();
                boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
                String output = Files.readString(log, StandardCharsets.UTF_8);
                if (!done) {
                    p.destroyForcibly();
                    throw new AssertionError(shown + " did not finish within " + timeoutSeconds + " s:\n" + output);
                }
                if (p.exitValue() != 0) {
                    throw new AssertionError(shown + " failed (exit " + p.exitValue() + "); " + needed + ":\n"
                            + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
