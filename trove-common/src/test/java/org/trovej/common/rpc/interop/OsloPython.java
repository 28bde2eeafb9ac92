package org.trovej.common.rpc.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * Runs the Python side of the interop tests: Debian's oslo.messaging under {@code /usr/bin/python3} (never the
 * python3 on PATH, which may be a pyenv interpreter without oslo). Scripts live in src/test/resources/oslo and
 * are copied to a private temporary directory. Every process has a deadline and is killed when it passes it.
 */
final class OsloPython {

    static final String PYTHON = "/usr/bin/python3";
    private static final String[] SCRIPTS = {"trove_serializers.py", "oslo_client.py", "oslo_server.py"};
    private static final String INSTALL_HINT = "The oslo.messaging interop tests need Debian's oslo.messaging for "
            + PYTHON + ": apt-get install python3-oslo.messaging python3-cryptography";

    private static Path scriptDir;
    private static boolean osloChecked;

    private OsloPython() {
    }

    /** Fails (never skips) when /usr/bin/python3 cannot import oslo_messaging and cryptography. */
    static synchronized void requireOslo() {
        if (osloChecked) {
            return;
        }
        ProcessResult r = run(List.of(PYTHON, "-c",
                "import oslo_messaging, kombu, cryptography.hazmat.primitives.ciphers; "
                        + "from importlib.metadata import version; print(version('oslo.messaging'))"),
                null, Duration.ofSeconds(60));
        if (r.exitCode() != 0) {
            throw new AssertionError(INSTALL_HINT + "\n(exit " + r.exitCode() + ")\n" + r.stderr());
        }
        osloChecked = true;
    }

    static synchronized Path scripts() {
        if (scriptDir != null) {
            return scriptDir;
        }
        try {
            Path dir = Files.createTempDirectory("trovej-oslo-");
            for (String name : SCRIPTS) {
                try (InputStream in = OsloPython.class.getResourceAsStream("/oslo/" + name)) {
                    if (in == null) {
                        throw new AssertionError("test resource oslo/" + name + " is missing from the classpath");
                    }
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            dir.toFile().deleteOnExit();
            for (String name : SCRIPTS) {
                dir.resolve(name).toFile().deleteOnExit();
            }
            scriptDir = dir;
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record ProcessResult(int exitCode, String stdout, String stderr, boolean timedOut) {
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        // the system interpreter with its own packages only
        env.remove("PYTHONPATH");
        env.remove("PYTHONHOME");
        env.remove("VIRTUAL_ENV");
        env.put("PYTHONNOUSERSITE", "1");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        pb.directory(scripts().toFile());
        return pb;
    }

    /** Runs a command to completion (or kills it at the deadline); stdout/stderr go through temp files. */
    static ProcessResult run(List<String> command, String stdin, Duration timeout) {
        Path out = null;
        Path err = null;
        Process p = null;
        try {
            out = Files.createTempFile("oslo-out-", ".txt");
            err = Files.createTempFile("oslo-err-", ".txt");
            ProcessBuilder pb = builder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            return new ProcessResult(finished ? p.exitValue() : -1, Files.readString(out),
                    Files.readString(err), !finished);
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e.getMessage() + "\n" + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------
    // client batches

    /** The outcome of one oslo_client.py batch: one JSON result per op id. */
    static final class ClientRun {
        final Map<String, JsonNode> results = new LinkedHashMap<>();
        final String stdout;
        final String stderr;

        ClientRun(String stdout, String stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }

        JsonNode get(String id) {
            JsonNode r = results.get(id);
            if (r == null) {
                throw new AssertionError("oslo client gave no result for op " + id + "\nstdout:\n" + stdout
                        + "\nstderr:\n" + stderr);
            }
            return r;
        }

        /** The result of an op that must have succeeded. */
        JsonNode ok(String id) {
            JsonNode r = get(id);
            if (!r.path("ok").asBoolean()) {
                throw new AssertionError("oslo op " + id + " failed: " + r + "\nstderr:\n" + stderr);
            }
            return r.get("result");
        }

        /** The error description of an op that must have failed. */
        JsonNode error(String id) {
            JsonNode r = get(id);
            if (r.path("ok").asBoolean()) {
                throw new AssertionError("oslo op " + id + " unexpectedly succeeded: " + r + "\nstderr:\n"
                        + stderr);
            }
            return r.get("error");
        }

        double elapsed(String id) {
            return get(id).path("elapsed").asDouble();
        }

        /** For assertion messages. */
        String describe() {
            return "oslo client results:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** Runs oslo_client.py with these ops; fails with the Python stderr when the script breaks or hangs. */
    static ClientRun runClient(String transportUrl, String exchange, List<ObjectNode> ops, Duration timeout) {
        ObjectNode plan = PythonJson.object();
        plan.put("transport_url", transportUrl);
        plan.put("exchange", exchange);
        plan.put("max_seconds", timeout.toSeconds() + 5);
        ArrayNode array = plan.putArray("ops");
        ops.forEach(array::add);
        ProcessResult r = run(List.of(PYTHON, "-u", scripts().resolve("oslo_client.py").toString()),
                PythonJson.dumps(plan), timeout);
        if (r.timedOut() || r.exitCode() != 0) {
            throw new AssertionError("oslo_client.py " + (r.timedOut() ? "did not finish within " + timeout
                    : "exited with " + r.exitCode()) + "\nstdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr());
        }
        ClientRun run = new ClientRun(r.stdout(), r.stderr());
        boolean done = false;
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = parse(line, r.stderr());
            if (node.path("done").asBoolean()) {
                done = true;
            } else {
                run.results.put(node.path("id").asText(), node);
            }
        }
        if (!done) {
            throw new AssertionError("oslo_client.py did not complete its batch\nstdout:\n" + r.stdout()
                    + "\nstderr:\n" + r.stderr());
        }
        return run;
    }

    private static JsonNode parse(String line, String stderr) {
        try {
            return PythonJson.parse(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("unreadable line from Python: " + line + "\nstderr:\n" + stderr, e);
        }
    }

    // ----------------------------------------------------------------------------------------------------
    // servers

    /** A running oslo_server.py: its events (one JSON per line of stdout) and its stderr, kept in memory. */
    static final class OsloServer implements AutoCloseable {
        private final Process process;
        private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
        private final StringBuffer stderr = new StringBuffer();
        private final StringBuffer stdoutNoise = new StringBuffer();

        OsloServer(Process process) {
            this.process = process;
            Thread out = new Thread(() -> pump(process.getInputStream(), true), "oslo-server-stdout");
            Thread err = new Thread(() -> pump(process.getErrorStream(), false), "oslo-server-stderr");
            out.setDaemon(true);
            err.setDaemon(true);
            out.start();
            err.start();
        }

        private void pump(InputStream stream, boolean json) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!json) {
                        stderr.append(line).append('\n');
                        continue;
                    }
                    try {
                        events.add(PythonJson.parse(line));
                    } catch (JsonProcessingException e) {
                        stdoutNoise.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }

        long pid() {
            return process.pid();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        String stderr() {
            return stderr.toString();
        }

        List<JsonNode> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        String describe() {
            return "oslo server (pid " + process.pid() + (process.isAlive() ? ", running" : ", exited "
                    + process.exitValue()) + ")\nevents:\n" + String.join("\n", events().stream()
                    .map(JsonNode::toString).toList()) + "\nstdout noise:\n" + stdoutNoise + "\nstderr:\n" + stderr;
        }

        /** Waits for an event; fails with the server's stderr when it does not come. */
        JsonNode await(String what, Predicate<JsonNode> matches, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (JsonNode e : events()) {
                    if (matches.test(e)) {
                        return e;
                    }
                }
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("no " + what + " from the oslo server within " + timeout + "\n"
                            + describe());
                }
                sleep(20);
            }
        }

        /** The events that match, waiting a little for late ones (for negative checks). */
        List<JsonNode> matching(Predicate<JsonNode> matches) {
            return events().stream().filter(matches).toList();
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close(); // EOF on stdin: the script stops its servers and exits
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts oslo_server.py with these server specs and waits until all of them listen.
     * spec: {"name", "topic", "server", "version"?, "serializer"?}
     */
    static OsloServer startServer(String transportUrl, String exchange, List<ObjectNode> servers,
                                  Duration readyTimeout) {
        ObjectNode config = PythonJson.object();
        config.put("transport_url", transportUrl);
        config.put("exchange", exchange);
        config.put("max_seconds", 300);
        ArrayNode array = config.putArray("servers");
        servers.forEach(array::add);
        Process p;
        try {
            p = builder(List.of(PYTHON, "-u", scripts().resolve("oslo_server.py").toString(),
                    PythonJson.dumps(config))).start();
        } catch (IOException e) {
            throw new AssertionError("could not start oslo_server.py: " + e.getMessage() + "\n" + INSTALL_HINT, e);
        }
        OsloServer server = new OsloServer(p);
        try {
            server.await("ready event", e -> "ready".equals(e.path("event").asText()), readyTimeout);
        } catch (AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
