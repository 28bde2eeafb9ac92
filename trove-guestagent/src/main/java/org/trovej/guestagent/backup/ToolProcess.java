package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A backup or restore tool run with its tar stream on a pipe (stdout of {@code pg_basebackup}, stdin of
 * {@code tar -x}) and its messages in a temporary file, so that its failure reads as the tool's own last lines.
 */
public final class ToolProcess {

    private static final int EXIT_WAIT_SECONDS = 120;

    /** The default summary of a failure: the tool's last four non-blank lines. */
    public static final Function<List<String>, String> LAST_LINES =
            lines -> String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));

    private final String name;
    private final Process process;
    private final Path stderr;
    private final Function<List<String>, String> reason;

    private ToolProcess(String name, Process process, Path stderr, Function<List<String>, String> reason) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.reason = reason;
    }

    /** Starts {@code builder}'s command with stdout and stdin as pipes and stderr to a file. */
    public static ToolProcess start(String name, ProcessBuilder builder) throws IOException {
        return start(name, builder, LAST_LINES);
    }

    /**
     * The same, for a tool whose last lines are not its reason (a verbose one that goes on logging after its
     * error): {@code reason} makes the failure's message from the tool's non-blank stderr lines.
     */
    public static ToolProcess start(String name, ProcessBuilder builder, Function<List<String>, String> reason)
            throws IOException {
        Path stderr = Files.createTempFile("trove-guestagent-" + name + "-", ".err");
        try {
            Process process = builder.redirectError(stderr.toFile()).start();
            return new ToolProcess(name, process, stderr, reason);
        } catch (IOException e) {
            Files.deleteIfExists(stderr);
            throw new IOException("could not run " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tool's stdout, ending in an IOException with the tool's message when it exits non-zero; closing it before
     * its end stops the tool.
     */
    public InputStream output() {
        try {
            process.getOutputStream().close(); // nothing to say to it: stdin at its end
        } catch (IOException ignored) {
            // already closed
        }
        return new Stdout(null, null, null);
    }

    /**
     * The tool as a stage of a stream pipeline: a thread of its own feeds {@code input} to the tool's stdin while the
     * caller reads the tool's stdout. At the end of stdout, a failure of {@code input} comes first, as it was thrown
     * (the tool is killed at once then, so that it never ends its output as if its input were whole), then the
     * tool's own failure. Closing before the end kills the tool, lets the feeding thread stop and closes
     * {@code input}.
     */
    public InputStream filter(InputStream input, String threadName) {
        AtomicReference<IOException> inputFailure = new AtomicReference<>();
        Thread feeder = new Thread(() -> {
            OutputStream stdin = process.getOutputStream();
            byte[] buffer = new byte[256 * 1024];
            while (true) {
                int n;
                try {
                    n = input.read(buffer);
                } catch (IOException | RuntimeException e) {
                    inputFailure.set(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
                    process.destroyForcibly();
                    return;
                }
                try {
                    if (n < 0) {
                        stdin.close();
                        return;
                    }
                    stdin.write(buffer, 0, n);
                } catch (IOException toolGone) {
                    return; // the tool stopped reading: its exit status says why
                }
            }
        }, threadName);
        feeder.setDaemon(true);
        feeder.start();
        return new Stdout(feeder, inputFailure, input);
    }

    /**
     * The tool's stdout, ending in the tool's failure; for a filter ({@code feeder} not null) in its input's failure
     * first. Closing before the end kills the tool.
     */
    private final class Stdout extends BulkInputStream {
        private final InputStream out = process.getInputStream();
        private final Thread feeder;
        private final AtomicReference<IOException> inputFailure;
        private final InputStream input;
        private boolean ended;

        Stdout(Thread feeder, AtomicReference<IOException> inputFailure, InputStream input) {
            this.feeder = feeder;
            this.inputFailure = inputFailure;
            this.input = input;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            int n;
            try {
                n = out.read(b, off, len);
            } catch (IOException e) {
                // killed for its input's failure, its pipes closed under this read: that failure is the story
                IOException fed = inputFailure();
                throw fed != null ? fed : e;
            }
            if (n < 0) {
                ended = true;
                IOException fed = inputFailure();
                if (fed != null) {
                    throw fed;
                }
                awaitSuccess();
            }
            return n;
        }

        /** Once the feeding thread has stopped: how its input failed, if it did. */
        private IOException inputFailure() throws IOException {
            if (feeder == null) {
                return null;
            }
            join(feeder);
            return inputFailure.get();
        }

        @Override
        public void close() throws IOException {
            try {
                if (!ended) {
                    process.destroyForcibly();
                }
                out.close();
                if (feeder != null) {
                    join(feeder);
                    input.close();
                }
            } finally {
                cleanUp();
            }
        }
    }

    private void join(Thread feeder) throws IOException {
        try {
            feeder.join(TimeUnit.SECONDS.toMillis(EXIT_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while feeding " + name, e);
        }
    }

    /**
     * Feeds {@code input} to the tool's stdin to its end, then waits for the tool to succeed. A failure of
     * {@code input} stops the tool and is thrown as it is; a tool that stops reading either failed (its message is
     * thrown) or needed no more (tar stops at its end-of-archive blocks), and then the rest of {@code input} is
     * read anyway, so that whatever checks the input's end (checksums, gzip's trailer) still sees it.
     */
    public void feed(InputStream input) throws IOException {
        try {
            boolean toolStoppedReading = false;
            OutputStream stdin = process.getOutputStream();
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = input.read(buffer)) >= 0) {
                if (toolStoppedReading) {
                    continue;
                }
                try {
                    stdin.write(buffer, 0, n);
                } catch (IOException broken) {
                    toolStoppedReading = true;
                    awaitSuccess();
                }
            }
            try {
                stdin.close();
            } catch (IOException broken) {
                // the tool has gone: its exit status says whether that was a failure
            }
            awaitSuccess();
        } finally {
            process.destroyForcibly();
            cleanUp();
        }
    }

    private void awaitSuccess() throws IOException {
        try {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(name + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while waiting for " + name, e);
        }
        int exit = process.exitValue();
        if (exit != 0) {
            // a shell's way of saying a signal ended it (Java sees the same for a process killed directly)
            String how = exit > 128 && exit < 160 ? "killed by signal " + (exit - 128) : "exit " + exit;
            String why = reason();
            throw new IOException(name + " failed (" + how + ")" + (why.isEmpty() ? "" : ": " + why));
        }
    }

    private String reason() {
        try {
            List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).map(String::strip).toList();
            return reason.apply(lines);
        } catch (IOException e) {
            return "(no message)";
        }
    }

    private void cleanUp() {
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }
}
