package org.trovej.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.trovej.testsupport.ControlPlaneRows;

/**
 * The all-in-one's memory as an operator runs it: {@code scripts/trovej up} with its default JVM flags (so the figures
 * are those of what ships), 1,000 instances in the database, then list, show and datastores under 32 connections
 * (wrk, a second process) while the process's resident set is sampled every 250 ms; then idle, and after a full
 * collection ({@code jcmd GC.run}). Prints the RSS at each stage and the heap, metaspace and threads the actuator
 * reports. Ports 18779-18782 and a state directory of its own keep it apart from a TroveJ already running.
 */
final class MemoryBench {

    private static final int API_PORT = 18779;
    private static final int POSTGRES_PORT = 18780;
    private static final int AMQP_PORT = 18781;
    private static final int MANAGEMENT_PORT = 18782;
    private static final String PROJECT = "bench-memory";

    private MemoryBench() {
    }

    static void run(int instances, Duration perRun) throws Exception {
        Path root = repositoryRoot();
        Path state = Files.createTempDirectory("trovej-bench-memory",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Map<String, String> env = Map.of("TROVEJ_STATE_DIR", state.toString(), "SERVER_PORT", "" + API_PORT,
                "MANAGEMENT_SERVER_PORT", "" + MANAGEMENT_PORT, "TROVEJ_EMBEDDED_POSTGRES_PORT", "" + POSTGRES_PORT,
                "TROVEJ_EMBEDDED_AMQP_PORT", "" + AMQP_PORT);
        try {
            script(root, env, "up");
            long pid = Long.parseLong(Files.readString(state.resolve("trovej.pid")).strip());
            String javaOpts = System.getenv().getOrDefault("JAVA_OPTS", "(scripts/trovej's default)");
            System.out.printf("Memory: the all-in-one (pid %d, JAVA_OPTS %s), %d instances, %d s per load run%n",
                    pid, javaOpts, instances, perRun.toSeconds());
            List<String> ids = seed(instances);
            Thread.sleep(20_000);
            report("idle, 20 s after start and seeding", rss(pid), pid);

            AtomicLong peak = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(rss(pid), Math::max);
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            String base = "http://127.0.0.1:" + API_PORT;
            String prefix = "/v1.0/" + PROJECT;
            List<String> shows = ids.stream().map(id -> prefix + "/instances/" + id).toList();
            String[] headers = {"Accept", "application/json"};
            long requests = 0;
            for (int round = 0; round < 3; round++) {
                requests += WrkLoad.run(base, List.of(prefix + "/instances"), headers, 32, perRun).requests();
                requests += WrkLoad.run(base, shows, headers, 32, perRun).requests();
                requests += WrkLoad.run(base, List.of(prefix + "/datastores"), headers, 32, perRun).requests();
            }
            sampler.interrupt();
            sampler.join();
            System.out.printf("  %d requests at 32 connections (list, show, datastores; 3 rounds)%n", requests);
            report("peak during the API load", peak.get(), pid);
            Thread.sleep(30_000);
            report("30 s after the load", rss(pid), pid);
            new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
            Thread.sleep(5_000);
            report("after a full collection", rss(pid), pid);
        } finally {
            script(root, env, "down");
            org.springframework.util.FileSystemUtils.deleteRecursively(state.toFile());
        }
    }

    private static List<String> seed(int instances) {
        DriverManagerDataSource db = new DriverManagerDataSource(
                "jdbc:postgresql://127.0.0.1:" + POSTGRES_PORT + "/trove", "postgres", "");
        ControlPlaneRows rows = new ControlPlaneRows(db);
        String version = rows.datastoreVersion("postgresql", "bench");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            String id = UUID.randomUUID().toString();
            rows.instance(id, PROJECT, version, null);
            rows.execute("UPDATE instances SET server_status = 'ACTIVE', addresses = CAST(? AS jsonb) WHERE id = ?",
                    "[{\"address\": \"10.9." + (i / 250) + "." + (i % 250 + 2) + "\", \"type\": \"private\"}]", id);
            rows.execute("UPDATE service_statuses SET status_id = 33, status_description = 'healthy' "
                    + "WHERE instance_id = ?", id);
            ids.add(id);
        }
        return ids;
    }

    private static void report(String stage, long rssKb, long pid) {
        System.out.printf("  %-36s RSS %5d MB   %s   load %s%n", stage, rssKb / 1024, jvmFigures(),
                loadAverage());
    }

    /** Heap used/committed, metaspace and threads, from the actuator's Prometheus page. */
    private static String jvmFigures() {
        try {
            java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + MANAGEMENT_PORT
                            + "/actuator/prometheus")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            double heapUsed = 0;
            double heapCommitted = 0;
            double metaspace = 0;
            double threads = 0;
            for (String line : page.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                    heapUsed += value(line);
                } else if (line.startsWith("jvm_memory_committed_bytes{area=\"heap\"")) {
                    heapCommitted += value(line);
                } else if (line.startsWith("jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"")) {
                    metaspace = value(line);
                } else if (line.startsWith("jvm_threads_live_threads")) {
                    threads = value(line);
                }
            }
            return String.format("heap %3.0f/%3.0f MB (used/committed), metaspace %3.0f MB, %3.0f threads",
                    heapUsed / 1048576, heapCommitted / 1048576, metaspace / 1048576, threads);
        } catch (IOException | InterruptedException e) {
            return "(no actuator: " + e.getMessage() + ")";
        }
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return 0;
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void script(Path root, Map<String, String> env, String command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("scripts/trovej").toString(), command)
                .directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("scripts/trovej " + command + " failed:\n" + out);
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("scripts/trovej"))) {
                return dir;
            }
        }
        throw new IllegalStateException("scripts/trovej not found above " + Path.of("").toAbsolutePath());
    }
}
