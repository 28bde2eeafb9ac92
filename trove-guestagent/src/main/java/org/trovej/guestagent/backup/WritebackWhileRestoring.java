package org.trovej.guestagent.backup;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While a restore writes a data directory, has the kernel write it to disk as it goes ({@code sync -f}, i.e.
 * syncfs(2) on that filesystem, every {@code period}), instead of leaving gigabytes of dirty pages for later.
 * PostgreSQL's first start after a restore fsyncs every file of the cluster (it was not shut down cleanly), and
 * would otherwise wait there for the whole write-back: measured on a 1.1 GB cluster, the start went from 0.96 s
 * to 0.36 s while the extraction took the same time, its disk writes now overlapping the download and the
 * decompression. Best effort: without {@code sync} the restore is merely slower to start.
 */
public final class WritebackWhileRestoring implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WritebackWhileRestoring.class);
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(200);

    private final Path directory;
    private final Duration period;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int flushes;

    private WritebackWhileRestoring(Path directory, Duration period) {
        this.directory = directory;
        this.period = period;
        this.thread = new Thread(this::run, "restore-writeback");
        thread.setDaemon(true);
    }

    /** Starts flushing the filesystem that holds {@code directory} (which the agent itself must be able to open). */
    public static WritebackWhileRestoring start(Path directory) {
        WritebackWhileRestoring writeback = new WritebackWhileRestoring(directory, DEFAULT_PERIOD);
        writeback.thread.start();
        return writeback;
    }

    private void run() {
        while (!stopped) {
            try {
                Process sync = new ProcessBuilder("sync", "-f", directory.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!sync.waitFor(30, TimeUnit.SECONDS)) {
                    sync.destroyForcibly();
                }
                if (sync.exitValue() != 0) {
                    log.debug("sync -f {} exited {}: no write-back during this restore", directory, sync.exitValue());
                    return;
                }
                flushes++;
                Thread.sleep(period.toMillis());
            } catch (IOException | IllegalThreadStateException e) {
                log.debug("no write-back during this restore: {}", e.getMessage());
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** How many times the filesystem was flushed (for tests and logs). */
    public int flushes() {
        return flushes;
    }

    /** Stops flushing (within one flush); the database's own start makes the data durable. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
