package org.trovej.testsupport;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Debian's {@code openstack} command, run in Python processes that stay up between commands
 * ({@code openstack-resident.py}): each command still runs as the console script runs it (a new
 * {@code OpenStackShell} with its own arguments, environment and streams), without the 1-2 s of CPU that importing
 * the client and its plugins costs every new process. The acceptance suite runs hundreds of commands, many of them
 * polls while database processes start on the same two cores. {@code TROVEJ_TEST_RESIDENT_CLI=0} runs every command
 * as a process of its own instead; README's commands are always run that way ({@link CliCommand#runProcess}).
 */
final class ResidentOpenStack {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One per test JVM: a test asks for {@link CliCommand#run} without owning anything (like a process). */
    private static final ResidentOpenStack SHARED = new ResidentOpenStack();

    private final BlockingQueue<Worker> idle = new LinkedBlockingQueue<>();
    private Path script;

    /**
     * troveclient's commands ({@code database ...}, {@code datastore ...}): the hundreds the suite runs. Other
     * services' clients keep state of their own between commands (the volume client's API version), so their few
     * commands run as processes.
     */
    static boolean serves(List<String> command) {
        return command.contains("database") || command.contains("datastore");
    }

    static boolean enabled() {
        return !"0".equals(System.getenv("TROVEJ_TEST_RESIDENT_CLI"));
    }

    static CliCommand.Result run(List<String> args, Map<String, String> osEnvironment, Duration timeout) {
        return SHARED.execute(args, osEnvironment, timeout);
    }

    private CliCommand.Result execute(List<String> args, Map<String, String> osEnvironment, Duration timeout) {
        Worker worker = idle.poll();
        if (worker == null) {
            worker = new Worker(script());
        }
        boolean reusable = false;
        try {
            CliCommand.Result result = worker.run(args, osEnvironment, timeout);
            reusable = true;
            return result;
        } finally {
            if (reusable) {
                idle.add(worker);
            } else {
                worker.kill();
            }
        }
    }

    private synchronized Path script() {
        if (script == null) {
            try (InputStream in = ResidentOpenStack.class.getResourceAsStream("openstack-resident.py")) {
                if (in == null) {
                    throw new AssertionError("openstack-resident.py is not on the classpath");
                }
                Path file = Files.createTempFile("openstack-resident-", ".py");
                Files.write(file, in.readAllBytes());
                file.toFile().deleteOnExit();
                script = file;
            } catch (IOException e) {
                throw new AssertionError("could not write openstack-resident.py", e);
            }
        }
        return script;
    }

    /** One Python process: a command at a time. */
    private static final class Worker {
        private final Process process;
        private final BufferedWriter requests;
        private final BufferedReader answers;

        Worker(Path script) {
            try {
                process = new ProcessBuilder("/usr/bin/python3", script.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new AssertionError("could not start /usr/bin/python3 (scripts/ensure-services installs the "
                        + "clients)", e);
            }
            requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        CliCommand.Result run(List<String> args, Map<String, String> osEnvironment, Duration timeout) {
            ObjectNode request = JSON.createObjectNode();
            args.forEach(request.putArray("argv")::add);
            if (osEnvironment == null) {
                request.putNull("env");
            } else {
                ObjectNode env = request.putObject("env");
                osEnvironment.forEach(env::put);
            }
            CompletableFuture<String> answer;
            try {
                requests.write(JSON.writeValueAsString(request));
                requests.write('\n');
                requests.flush();
                answer = CompletableFuture.supplyAsync(this::readLine);
            } catch (IOException e) {
                throw new AssertionError("the resident openstack client is gone: " + e.getMessage(), e);
            }
            try {
                String line = answer.get(timeout.toSeconds(), TimeUnit.SECONDS);
                if (line == null) {
                    throw new AssertionError("the resident openstack client ended without answering " + args);
                }
                JsonNode reply = JSON.readTree(line);
                return new CliCommand.Result(reply.path("rc").asInt(), reply.path("stdout").asText(),
                        reply.path("stderr").asText());
            } catch (TimeoutException e) {
                throw new AssertionError("timed out: openstack " + args);
            } catch (ExecutionException | IOException e) {
                throw new AssertionError("the resident openstack client failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        private String readLine() {
            try {
                return answers.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void kill() {
            process.destroyForcibly();
        }
    }
}
