package org.trovej.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Samples one guest agent JVM every 200 ms: its resident set ({@code VmRSS} of {@code /proc/<pid>/status}) and,
 * through {@code jstat -gc <pid> 200} (the JVM's own performance counters, no attach), its heap in use and
 * committed and its collection count. The pid may appear later (a guest being started): it is looked for at
 * every tick until found.
 */
final class GuestSampler implements AutoCloseable {

    /** One tick; heap figures are -1 until jstat has printed its first line. */
    record Sample(long nanos, long rssKb, long heapUsedKb, long heapCommittedKb, long collections) {
    }

    /** Figures over a time window. */
    record Window(int samples, long rssMedianKb, long rssMaxKb, long heapMedianKb, long heapMaxKb,
                  long heapCommittedMaxKb, long collections) {

        String describe() {
            return String.format("RSS median %.1f MB, max %.1f MB; heap used median %s, max %s (committed max %s); "
                            + "%d collections; %d samples", rssMedianKb / 1024.0, rssMaxKb / 1024.0, mb(heapMedianKb),
                    mb(heapMaxKb), mb(heapCommittedMaxKb), collections, samples);
        }

        private static String mb(long kb) {
            return kb < 0 ? "n/a" : String.format("%.1f MB", kb / 1024.0);
        }
    }

    private final Supplier<OptionalLong> pidSource;
    private final Path jstatCommand;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread ticker;
    private volatile boolean stopped;
    private volatile long pid = -1;
    private volatile long[] heap = {-1, -1, -1};
    private Process jstat;

    GuestSampler(Supplier<OptionalLong> pidSource) {
        this.pidSource = pidSource;
        this.jstatCommand = Path.of(System.getProperty("java.home"), "bin", "jstat");
        this.ticker = new Thread(this::tick, "guest-sampler");
        this.ticker.setDaemon(true);
        this.ticker.start();
    }

    long pid() {
        return pid;
    }

    private void tick() {
        while (!stopped) {
            if (pid < 0) {
                pidSource.get().ifPresent(this::attach);
            }
            if (pid > 0) {
                long rss = rssKb(pid);
                if (rss >= 0) {
                    long[] h = heap;
                    synchronized (samples) {
                        samples.add(new Sample(System.nanoTime(), rss, h[0], h[1], h[2]));
                    }
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void attach(long found) {
        pid = found;
        if (!Files.isExecutable(jstatCommand)) {
            return;
        }
        try {
            jstat = new ProcessBuilder(jstatCommand.toString(), "-gc", Long.toString(found), "200")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return;
        }
        Thread reader = new Thread(() -> readJstat(jstat), "guest-sampler-jstat");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code S0C S1C S0U S1U EC EU OC OU ... YGC YGCT FGC FGCT ...}, in KB; one line per interval. */
    private void readJstat(Process process) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            Map<String, Integer> columns = new HashMap<>();
            String line;
            while ((line = lines.readLine()) != null) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 0 && fields[0].equals("S0C")) {
                    columns.clear();
                    for (int i = 0; i < fields.length; i++) {
                        columns.put(fields[i], i);
                    }
                    continue;
                }
                if (columns.isEmpty() || fields.length < columns.size()) {
                    continue;
                }
                try {
                    double used = value(fields, columns, "S0U") + value(fields, columns, "S1U")
                            + value(fields, columns, "EU") + value(fields, columns, "OU");
                    double committed = value(fields, columns, "S0C") + value(fields, columns, "S1C")
                            + value(fields, columns, "EC") + value(fields, columns, "OC");
                    double gcs = value(fields, columns, "YGC") + value(fields, columns, "FGC");
                    heap = new long[] {(long) used, (long) committed, (long) gcs};
                } catch (NumberFormatException ignored) {
                    // a line that is not figures (the JVM went away)
                }
            }
        } catch (IOException ignored) {
            // stopped
        }
    }

    private static double value(String[] fields, Map<String, Integer> columns, String name) {
        Integer i = columns.get(name);
        return i == null || fields[i].equals("-") ? 0 : Double.parseDouble(fields[i]);
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The figures of the samples taken between the two {@link System#nanoTime()} instants. */
    Window window(long fromNanos, long toNanos) {
        List<Sample> in;
        synchronized (samples) {
            in = samples.stream().filter(s -> s.nanos() >= fromNanos && s.nanos() <= toNanos).toList();
        }
        if (in.isEmpty()) {
            return new Window(0, -1, -1, -1, -1, -1, 0);
        }
        List<Long> rss = in.stream().map(Sample::rssKb).sorted().toList();
        List<Long> heapUsed = in.stream().map(Sample::heapUsedKb).filter(h -> h >= 0).sorted().toList();
        long committedMax = in.stream().mapToLong(Sample::heapCommittedKb).max().orElse(-1);
        List<Long> gcs = in.stream().map(Sample::collections).filter(c -> c >= 0).toList();
        long collections = gcs.isEmpty() ? 0 : gcs.get(gcs.size() - 1) - gcs.get(0);
        return new Window(in.size(), rss.get(rss.size() / 2), rss.get(rss.size() - 1),
                heapUsed.isEmpty() ? -1 : heapUsed.get(heapUsed.size() / 2),
                heapUsed.isEmpty() ? -1 : heapUsed.get(heapUsed.size() - 1), committedMax, collections);
    }

    @Override
    public void close() {
        stopped = true;
        ticker.interrupt();
        if (jstat != null) {
            jstat.destroy();
        }
    }
}
